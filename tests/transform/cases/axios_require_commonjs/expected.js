/* eslint-disable */
// Old CommonJS report client.
const { ONCE } = require('@acme/once');

const REPORTS_URL = '/api/reports';

function scheduleReport(id, cron) {
  return ONCE.apiClient.post(REPORTS_URL + '/' + id + '/schedule', { cron: cron });
}

module.exports = { scheduleReport: scheduleReport };
