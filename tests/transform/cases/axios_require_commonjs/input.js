/* eslint-disable */
// Old CommonJS report client.
const axios = require('axios');

const REPORTS_URL = '/api/reports';

function scheduleReport(id, cron) {
  return axios.post(REPORTS_URL + '/' + id + '/schedule', { cron: cron });
}

module.exports = { scheduleReport: scheduleReport };
