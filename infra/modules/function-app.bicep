// Flex Consumption plan and the Functions app (.NET 10 isolated worker, Linux).
//
// The runtime, scale and deployment package live in functionAppConfig; Flex Consumption does not
// use the classic FUNCTIONS_WORKER_RUNTIME / WEBSITE_CONTENT* / WEBSITE_RUN_FROM_PACKAGE settings.
// The app runs entirely as the user-assigned identity: it reads its package from blob storage,
// resolves Key Vault references and connects to storage and Service Bus with it.

@description('Name of the function app (globally unique host name).')
param name string

@description('Name of the Flex Consumption plan. A Flex Consumption plan hosts exactly one app.')
param planName string

@description('Azure region. Must offer Flex Consumption.')
param location string

@description('Tags for the app. Must include azd-service-name for azd deploy.')
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('.NET version of the isolated worker.')
param dotnetVersion string = '10.0'

@allowed([
  512
  2048
  4096
])
@description('Memory per instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Upper bound on the number of instances.')
param maximumInstanceCount int

@description('App settings, as name/value pairs (the contract in main.bicep).')
param appSettings object

@description('Origins whose pages may call the API from a browser (CORS): the static web app serving web/.')
param allowedOrigins array = []

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      // The pages (the static web app) call the API from their own origin.
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
      appSettings: map(items(appSettings), setting => {
        name: setting.key
        value: setting.value
      })
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      // No alwaysReady entries: every instance is on demand, so the app scales to zero.
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

@description('Name of the function app.')
output name string = site.name

@description('HTTPS base URL of the app.')
output uri string = 'https://${site.properties.defaultHostName}'
