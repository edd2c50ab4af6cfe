/**
 * Stands in for azure-devops-node-api in the browser bundle. The Azure DevOps adapter's index also exports the
 * CLI's transport, built on that Node-only library; the extension uses its own transport and never calls this.
 */
const NODE_ONLY = 'azure-devops-node-api is the CLI’s Azure DevOps client (Node only); the extension talks through its own transport';

export class WebApi {
  constructor() {
    throw new Error(NODE_ONLY);
  }
}

export function getPersonalAccessTokenHandler(): never {
  throw new Error(NODE_ONLY);
}
