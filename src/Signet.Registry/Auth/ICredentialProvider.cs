namespace Signet.Registry.Auth;

/// <summary>Finds the credential for a registry host (<c>host[:port]</c>, lower case, Docker Hub as <c>docker.io</c>).</summary>
public interface ICredentialProvider
{
    /// <summary>The credential for <paramref name="registryHost"/>, or <see langword="null"/> for anonymous access.</summary>
    /// <exception cref="CredentialStoreException">A store or credential helper is configured but failed.</exception>
    Task<Credential?> GetAsync(string registryHost, CancellationToken cancellationToken = default);
}
