// The pages of web/ (till, My pages, dashboard): an Azure Static Web App, the second azd service (`web` in azure.yaml).
// Static files only, no API behind it: the pages call the Functions app cross-origin, which allows this app's origin
// (CORS in modules/function-app.bicep). Headers, including the Content-Security-Policy, come from the
// staticwebapp.config.json that tools/web-dist.mjs writes into the package.

@description('Name of the static web app.')
param name string

@description('Region of the app\'s management resource; Static Web Apps exist in a few regions only, the files are served from the global edge.')
param location string

param tags object

@description('Free has everything the pages need (custom domain, headers); Standard adds an SLA and private endpoints.')
@allowed([
  'Free'
  'Standard'
])
param sku string = 'Free'

resource web 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    // azd deploys the built folder itself; no GitHub workflow is attached.
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Disabled'
  }
}

@description('Name of the static web app.')
output name string = web.name

@description('HTTPS origin the pages are served from (the Functions app allows it in CORS).')
output uri string = 'https://${web.properties.defaultHostname}'
