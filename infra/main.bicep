// Loyalty Functions: the Azure environment that `azd up` provisions.
//
// One resource group per azd environment. Everything the Functions app touches uses Microsoft
// Entra ID through one user-assigned managed identity: no storage keys, no Service Bus SAS keys,
// no Application Insights instrumentation-key ingestion. The only secret, the member-token signing
// key, lives in Key Vault and reaches the app as a Key Vault reference.
//
// The app-settings block below (`appSettings`) is the contract with the application code:
// docs/deploy.md lists who reads each setting.
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the azd environment. Names the resource group (rg-<name>) and seeds the unique suffix of every other resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must be a region that offers the Flex Consumption plan (see docs/deploy.md).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID). When set, that principal gets the same data-plane roles as the app, so the CLI and local runs can use the Azure resources. Leave empty in production.')
param principalId string = ''

@description('Kind of principal that principalId names: User for a person running azd, ServicePrincipal for a pipeline.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@secure()
@description('Initial value of the Key Vault secret member-token-signing-key. azd passes the vault\'s current value back in (secretOrRandomPassword in main.parameters.json), so re-provisioning keeps the key. The newGuid() default only applies to deployments outside azd and creates a new key on every such deployment.')
param memberTokenSigningKey string = newGuid()

@description('The page of the app or web shop that member magic links open (it reads ?token=… and exchanges it at POST /api/v1/member-auth/tokens). Empty: e-mails carry the one-time code only.')
param memberLinkBaseUrl string = ''

@description('The program My pages signs members in to without an API key (MemberAuth:PagesProgramId). Empty: the key-less sign-in routes answer 404.')
param pagesProgramId string = ''

@description('Region of the static web app that serves the pages (web/): Static Web Apps are offered in a few regions only; its files are served from the global edge wherever it is.')
@allowed([
  'westeurope'
  'eastus2'
  'centralus'
  'westus2'
  'eastasia'
])
param webLocation string = 'westeurope'

@minValue(40)
@maxValue(1000)
@description('Upper bound on Flex Consumption instances. Caps cost and protects Table Storage partitions from a scale-out storm.')
param maximumInstanceCount int = 40

@description('Turn on Key Vault purge protection. Recommended for production. Once on it cannot be turned off, and `azd down --purge` can no longer purge the vault.')
param keyVaultEnablePurgeProtection bool = false

// ---------------------------------------------------------------------------------------------
// Names and shared values
// ---------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Must equal the service name in azure.yaml: azd finds the app by its azd-service-name tag.
var apiServiceName = 'api'
var webServiceName = 'web'
var functionAppName = '${abbrs.webSitesFunctions}${apiServiceName}-${resourceToken}'
var deploymentContainerName = 'app-package-${functionAppName}'

var names = {
  resourceGroup: '${abbrs.resourcesResourceGroups}${environmentName}'
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${apiServiceName}-${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  storageAccount: '${abbrs.storageStorageAccounts}${resourceToken}'
  serviceBusNamespace: '${abbrs.serviceBusNamespaces}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  staticWebApp: '${abbrs.webStaticSites}${resourceToken}'
}

// The Service Bus queue POS systems send `loyalty.receipt.v1` messages to. The Functions app's trigger names the same
// queue (functions/Loyalty.Functions/Receipts/ReceiptsTrigger.cs).
var receiptsQueueName = 'receipts'

// Deliveries before Service Bus dead-letters a receipts message. Must equal
// ReceiptMessageHandler.MaxDeliveries: on that delivery the handler stops retrying and settles every receipt.
var receiptsMaxDeliveryCount = 5

// Every table, storage queue and container the application uses: LoyaltyResources.Default in
// functions/Loyalty.Storage/Repositories/LoyaltyResources.cs (tests/Loyalty.Functions.Tests/Infra/DeploymentContractTests.cs
// checks that each one is created here). The app also creates missing ones at start-up.
var loyaltyTables = [
  'Programs'
  'ApiKeys'
  'Members'
  'Identities'
  'ParkedReceipts'
  'ReceiptClaims'
  'JobProgress'
  'Campaigns'
  'CampaignDeliveries'
  'MemberAuth' // one-time codes (as HMACs) and rate counters of member verification
  'Audit' // who read, exported or erased a member's personal data
  'ProgramFigures' // the nightly review's count of every shard: the dashboard's figures
]
var loyaltyQueues = [
  'receipts' // the local host's receipts transport; unused in Azure (Service Bus carries receipts), kept for parity
  'receipts-poison' // rejected receipts and unusable messages, each with the reason
  'notifications' // loyalty.notification.v1 for the e-mail/SMS/push sender
]
var loyaltyContainers = [
  'receipts' // raw POS payloads for audit and replay
  'campaigns' // campaign audience files (NDJSON per shard) for the e-mail/SMS provider
  'exports' // GDPR export documents; deleted after exportRetentionDays (modules/storage.bicep), and by erasure
]

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storageAccount
    location: location
    tags: tags
    blobContainerNames: concat([deploymentContainerName], loyaltyContainers) // + the Flex Consumption deployment package
    tableNames: loyaltyTables
    queueNames: loyaltyQueues
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    name: names.serviceBusNamespace
    location: location
    tags: tags
    queueNames: [
      receiptsQueueName
    ]
    maxDeliveryCount: receiptsMaxDeliveryCount
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultEnablePurgeProtection
    memberTokenSigningKey: memberTokenSigningKey
  }
}

// Data-plane roles for the app's identity. Granted before the app exists, so the host's first
// start can already reach storage, Service Bus and the Key Vault reference.
module appRoles 'modules/role-assignments.bicep' = {
  name: 'app-role-assignments'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: names.storageAccount
    serviceBusNamespaceName: names.serviceBusNamespace
    keyVaultName: names.keyVault
    keyVaultAccess: 'read'
    serviceBusSend: false // the app only receives; it sends notifications to the storage queue
    applicationInsightsName: names.applicationInsights
  }
  dependsOn: [
    storage
    serviceBus
    keyVault
    monitoring
  ]
}

// The same roles for the developer who runs azd (optional), plus write access to Key Vault
// secrets so they can rotate the signing key and azd can read it back on the next provision.
module developerRoles 'modules/role-assignments.bicep' = if (!empty(principalId)) {
  name: 'developer-role-assignments'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    storageAccountName: names.storageAccount
    serviceBusNamespaceName: names.serviceBusNamespace
    keyVaultName: names.keyVault
    keyVaultAccess: 'readWrite'
    serviceBusSend: true // to send test receipts
    applicationInsightsName: names.applicationInsights
  }
  dependsOn: [
    storage
    serviceBus
    keyVault
    monitoring
  ]
}

// The app-settings contract. The application reads exactly these names; see docs/deploy.md.
// Flex Consumption sets the runtime in functionAppConfig and rejects or ignores FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION, WEBSITE_CONTENT*, WEBSITE_RUN_FROM_PACKAGE, WEBSITE_TIME_ZONE and TZ,
// so none of them appear here.
var appSettings = {
  // Functions host storage (keys, timer-trigger leases, diagnostics), identity-based.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId

  // Loyalty.Storage, our own Table/Queue/Blob REST client.
  Storage__TableServiceUri: storage.outputs.tableEndpoint
  Storage__QueueServiceUri: storage.outputs.queueEndpoint
  Storage__BlobServiceUri: storage.outputs.blobEndpoint
  Storage__ClientId: identity.outputs.clientId

  // Connection "ServiceBusConnection" of the receipts Service Bus trigger (identity-based).
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.outputs.clientId

  // Telemetry. Local (instrumentation-key) auth is off on the component, so ingestion needs Entra ID.
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'

  // Versionless Key Vault reference: the platform resolves the latest secret version. Signs member tokens and keys the
  // one-time-code HMACs (Loyalty.Hosting MemberAuthSettings; rotation in docs/deploy.md).
  MemberTokens__SigningKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.memberTokenSigningKeySecretUri})'
  MemberAuth__LinkBaseUrl: memberLinkBaseUrl
  MemberAuth__PagesProgramId: pagesProgramId
}

// The pages (till, My pages, dashboard) as static files; docs/architecture.md says why not from the Functions app.
module web 'modules/static-web-app.bicep' = {
  name: 'static-web-app'
  scope: rg
  params: {
    name: names.staticWebApp
    location: webLocation
    tags: union(tags, {
      'azd-service-name': webServiceName
    })
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: names.plan
    location: location
    tags: union(tags, {
      'azd-service-name': apiServiceName
    })
    identityId: identity.outputs.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    maximumInstanceCount: maximumInstanceCount
    appSettings: appSettings
    allowedOrigins: [
      web.outputs.uri
    ]
  }
  dependsOn: [
    appRoles
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs (azd stores them in .azure/<env>/.env). No secrets: the signing key stays in Key Vault.
// ---------------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output SERVICE_WEB_NAME string = web.outputs.name
output SERVICE_WEB_URI string = web.outputs.uri

output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId

output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output AZURE_SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_SERVICEBUS_RECEIPTS_QUEUE string = receiptsQueueName

// AZURE_KEY_VAULT_NAME is also what main.parameters.json hands to secretOrRandomPassword.
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri

// A locator, not a credential: ingestion requires Entra ID (local auth is disabled).
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
