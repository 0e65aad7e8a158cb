import React from 'react';
import { saveContact } from '../api';

class ContactForm extends React.Component {
  state = { name: '', email: '', saving: false };

  handleChange = (event) => {
    this.setState({ [event.target.name]: event.target.value });
  };

  handleSubmit = (event) => {
    event.preventDefault();
    this.setState({ saving: true });
    saveContact({ name: this.state.name, email: this.state.email })
      .then((saved) => {
        this.setState({ name: '', email: '', saving: false });
        if (this.props.onSaved) this.props.onSaved(saved);
      })
      .catch(() => this.setState({ saving: false }));
  };

  render() {
    return (
      <form onSubmit={this.handleSubmit}>
        <input name="name" value={this.state.name} onChange={this.handleChange} placeholder="Name" />
        <input name="email" value={this.state.email} onChange={this.handleChange} placeholder="Email" />
        <button disabled={this.state.saving}>Save</button>
      </form>
    );
  }
}

export default ContactForm;
