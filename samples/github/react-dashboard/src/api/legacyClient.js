/* eslint-disable */
// Old CommonJS report client, still used by the reports page.
const axios = require('axios');

const REPORTS_URL = '/api/reports';

function fetchReport(id) {
  return axios
    .get(REPORTS_URL + '/' + encodeURIComponent(id))
    .then(function (response) {
      return response.data;
    })
    .catch(function (error) {
      console.error('report ' + id + ' failed', error);
      return null;
    });
}

function scheduleReport(id, cron) {
  return axios.post(REPORTS_URL + '/' + id + '/schedule', { cron: cron });
}

module.exports = { fetchReport: fetchReport, scheduleReport: scheduleReport };
