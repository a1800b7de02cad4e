// Data-plane role assignments for one principal, each scoped to the single resource it needs.
// Used twice by main.bicep: for the app's managed identity, and optionally for the developer.
// Role definition ids are the built-in role GUIDs (the same in every subscription).

@description('Object (principal) id that receives the roles.')
param principalId string

@description('User, Group or ServicePrincipal (managed identities are ServicePrincipal).')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string

@description('Storage account that holds host storage, the deployment package and the loyalty data.')
param storageAccountName string

@description('Service Bus namespace with the receipts queue.')
param serviceBusNamespaceName string

@description('Also grant Azure Service Bus Data Sender: the developer sends test receipts; the app only receives.')
param serviceBusSend bool

@description('Key vault that holds the member-token signing key.')
param keyVaultName string

@description('read: Key Vault Secrets User (the app). readWrite: Key Vault Secrets Officer (an operator who rotates secrets).')
@allowed([
  'read'
  'readWrite'
])
param keyVaultAccess string

@description('Application Insights component the principal sends telemetry to.')
param applicationInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Blob Data Owner rather than Contributor: the Functions docs name it for identity-based
// AzureWebJobsStorage (host keys, timer-trigger singleton leases, containers it creates itself), Flex
// Consumption reads the deployment package with it, and it covers our receipts archive.
// Queue Data Contributor: our storage queues (receipts-poison, notifications, receipts), created at start.
// Table Data Contributor: our tables (created at start) and the host's diagnostic-events table.
// Account scope, because the host creates containers and tables with generated names.
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

// Receiver for the receipts trigger (receive, complete, abandon, dead-letter). Sender only for a
// developer: nothing in the app sends to Service Bus (notifications go to the storage queue).
var serviceBusRoles = concat([roles.serviceBusDataReceiver], serviceBusSend ? [roles.serviceBusDataSender] : [])

var keyVaultRole = keyVaultAccess == 'readWrite' ? roles.keyVaultSecretsOfficer : roles.keyVaultSecretsUser

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource serviceBusNamespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storageAccount.id, principalId, roleId)
    scope: storageAccount
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource serviceBusRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in serviceBusRoles: {
    name: guid(serviceBusNamespace.id, principalId, roleId)
    scope: serviceBusNamespace
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource keyVaultRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, principalId, keyVaultRole)
  scope: keyVault
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultRole)
  }
}

// Needed because the component has local (instrumentation-key) authentication disabled.
resource monitoringRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
