import React from 'react';
import ReactDOM from 'react-dom';
import ContactList from './components/ContactList';
import ContactForm from './components/ContactForm';

class App extends React.Component {
  constructor(props) {
    super(props);
    this.state = { selected: null, version: 0 };
  }

  render() {
    return (
      <div>
        <h1>Contacts</h1>
        <ContactForm onSaved={() => this.setState({ version: this.state.version + 1 })} />
        <ContactList key={this.state.version} onSelect={(c) => this.setState({ selected: c })} />
        {this.state.selected ? <p>Selected: {this.state.selected.name}</p> : null}
      </div>
    );
  }
}

ReactDOM.render(<App />, document.getElementById('root'));
