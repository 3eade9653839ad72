namespace Signet.Crypto.Pkcs11;

/// <summary>A token as C_GetTokenInfo describes it (text fields with their blank padding removed).</summary>
public sealed record Pkcs11TokenInfo
{
    /// <summary>The slot the token is in (the URI's <c>slot-id</c>).</summary>
    public required ulong SlotId { get; init; }

    /// <summary>The token label (the URI's <c>token</c>).</summary>
    public required string Label { get; init; }

    /// <summary>The manufacturer (the URI's <c>manufacturer</c>).</summary>
    public required string ManufacturerId { get; init; }

    /// <summary>The model (the URI's <c>model</c>).</summary>
    public required string Model { get; init; }

    /// <summary>The serial number (the URI's <c>serial</c>).</summary>
    public required string SerialNumber { get; init; }

    /// <summary>CKF_LOGIN_REQUIRED: private objects need a user login.</summary>
    public bool LoginRequired { get; init; }

    /// <summary>CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is entered on the device (a PIN pad), not passed in.</summary>
    public bool ProtectedAuthenticationPath { get; init; }

    /// <summary>CKF_TOKEN_INITIALIZED.</summary>
    public bool Initialized { get; init; }

    /// <summary>A one-line description for messages: label, serial and slot.</summary>
    public override string ToString() => $"token '{Label}' (serial {SerialNumber}, slot-id {SlotId}, {ManufacturerId} {Model})";
}
