// Key Vault (Azure RBAC permission model, soft delete) holding the member-token signing key.
//
// Rotation: add a new version of the secret (see docs/deploy.md). The app references the secret
// without a version, so App Service resolves the latest version within 24 hours, or at once on
// any configuration change or restart.

@minLength(3)
@maxLength(24)
@description('Name of the key vault.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object = {}

@description('Turn on purge protection. Irreversible once on.')
param enablePurgeProtection bool = false

@minValue(7)
@maxValue(90)
@description('Days a deleted vault or secret can be recovered. Fixed once the vault exists.')
param softDeleteRetentionInDays int = 90

@secure()
@description('Value written to the secret member-token-signing-key.')
param memberTokenSigningKey string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Purge protection can only be switched on; sending false is rejected, so omit it instead.
    enablePurgeProtection: enablePurgeProtection ? true : null
    // Flex Consumption resolves Key Vault references only from vaults without network restrictions.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource memberTokenSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'member-token-signing-key'
  properties: {
    value: memberTokenSigningKey
    contentType: 'text/plain'
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Vault URI, e.g. https://kv-xyz.vault.azure.net/.')
output uri string = vault.properties.vaultUri

@description('Versionless URI of the signing-key secret, for the Key Vault reference.')
output memberTokenSigningKeySecretUri string = memberTokenSigningKeySecret.properties.secretUri
