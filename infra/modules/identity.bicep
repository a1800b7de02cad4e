// The user-assigned managed identity the Functions app uses for everything: host storage,
// the deployment package, our storage client, Service Bus, Key Vault references and telemetry.
// User-assigned (not system-assigned) so its roles exist before the app starts for the first time.

@description('Name of the managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Name of the identity.')
output name string = identity.name

@description('Object (principal) id, for role assignments.')
output principalId string = identity.properties.principalId

@description('Client id, for the *__clientId app settings.')
output clientId string = identity.properties.clientId
