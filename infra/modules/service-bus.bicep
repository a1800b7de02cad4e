// Service Bus namespace (Standard: queues with duplicate detection) with SAS keys disabled,
// so senders and receivers authenticate with Microsoft Entra ID only.
//
// Queues detect duplicates by MessageId for an hour (POS systems resend receipts). After
// maxDeliveryCount deliveries, or when a message outlives its time to live, a message moves to the
// queue's dead-letter sub-queue instead of being lost; the app also dead-letters unusable messages
// itself, with the reason. requiresDuplicateDetection cannot be changed on an existing queue.

@minLength(6)
@maxLength(50)
@description('Name of the Service Bus namespace.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object = {}

@description('Queues to create, all with the settings below.')
param queueNames string[]

@description('Window in which a repeated MessageId is dropped (ISO 8601 duration).')
param duplicateDetectionHistoryTimeWindow string = 'PT1H'

@minValue(1)
@description('Deliveries before a message is dead-lettered. The caller passes the application\'s own limit (ReceiptMessageHandler.MaxDeliveries).')
param maxDeliveryCount int

@description('How long a receiver holds the lock on a message (ISO 8601 duration).')
param lockDuration string = 'PT1M'

@description('Time to live of an unconsumed message before it is dead-lettered (ISO 8601 duration).')
param defaultMessageTimeToLive string = 'P14D'

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [
  for queueName in queueNames: {
    parent: namespace
    name: queueName
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionHistoryTimeWindow
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: defaultMessageTimeToLive
      lockDuration: lockDuration
      requiresSession: false
      enablePartitioning: false
    }
  }
]

@description('Name of the namespace.')
output name string = namespace.name

@description('Host name of the namespace, e.g. sb-xyz.servicebus.windows.net.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
