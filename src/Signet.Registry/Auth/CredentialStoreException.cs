namespace Signet.Registry.Auth;

/// <summary>A credential store (config file or <c>docker-credential-*</c> helper) could not be read or written.</summary>
public sealed class CredentialStoreException : Exception
{
    public CredentialStoreException()
    {
    }

    public CredentialStoreException(string message)
        : base(message)
    {
    }

    public CredentialStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
