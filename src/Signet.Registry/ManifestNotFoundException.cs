namespace Signet.Registry;

/// <summary>The registry has no manifest (or repository) under the name asked for.</summary>
public sealed class ManifestNotFoundException : RegistryException
{
    public ManifestNotFoundException()
    {
    }

    public ManifestNotFoundException(string message)
        : base(message)
    {
    }

    public ManifestNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
