// Planted on purpose: the credentials below are fake (the AWS key is AWS's documentation
// example) and must come out of the filter as <API_KEY>, <EMAIL> and <IP_ADDRESS>.
export interface TelemetryConfig {
  endpoint: string;
  accessKeyId: string;
  contact: string;
}

export const telemetryConfig: TelemetryConfig = {
  endpoint: "https://8.8.4.4/collect",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  contact: "telemetry-team@example.com",
};

export function describeTelemetry(config: TelemetryConfig): string {
  return `sending to ${config.endpoint} as ${config.contact}`;
}
