// Note: this .js file contains JSX (CRA-era projects compiled .js with Babel).
import React from 'react';
import PropTypes from 'prop-types';

function ContactRow({ contact, onClick }) {
  return (
    <tr onClick={() => onClick(contact)}>
      <td>{contact.name}</td>
      <td>
        <a href={'mailto:' + contact.email}>{contact.email}</a>
      </td>
      <td>{contact.phone || '—'}</td>
    </tr>
  );
}

ContactRow.propTypes = {
  contact: PropTypes.shape({
    id: PropTypes.number.isRequired,
    name: PropTypes.string.isRequired,
    email: PropTypes.string,
    phone: PropTypes.string,
  }).isRequired,
  onClick: PropTypes.func.isRequired,
};

export default ContactRow;
