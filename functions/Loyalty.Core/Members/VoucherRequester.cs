namespace Loyalty.Core.Members;

/// <summary>Who asked for a voucher: a till (or the web shop) with its own request ids, or the member in the app.</summary>
public enum VoucherRequester { Till, App }
