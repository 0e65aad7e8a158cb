import React, { Component } from 'react';
import PropTypes from 'prop-types';
import ContactRow from './ContactRow';
import { loadContacts } from '../api';

export default class ContactList extends Component {
  constructor(props) {
    super(props);
    this.state = { contacts: [], loading: true, error: null };
    this.handleSelect = this.handleSelect.bind(this);
  }

  componentDidMount() {
    loadContacts()
      .then((contacts) => this.setState({ contacts, loading: false }))
      .catch((error) => this.setState({ error: error.message, loading: false }));
  }

  handleSelect(contact) {
    if (this.props.onSelect) this.props.onSelect(contact);
  }

  render() {
    const { contacts, loading, error } = this.state;
    if (loading) return <p>Loading…</p>;
    if (error) return <p className="error">{error}</p>;
    return (
      <table className="contacts">
        <tbody>
          {contacts.map((c) => (
            <ContactRow key={c.id} contact={c} onClick={this.handleSelect} />
          ))}
        </tbody>
      </table>
    );
  }
}

ContactList.propTypes = {
  onSelect: PropTypes.func,
};
