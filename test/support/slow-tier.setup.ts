// Integration and e2e tests start real processes and databases.
jest.setTimeout(120_000);
