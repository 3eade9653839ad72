namespace Signet.Oci.Content;

/// <summary>
/// A stream whose content is checked against a descriptor as it is read. Wrappers (progress counters, HTTP bodies)
/// forward it, so a destination can tell that a blob it receives is already being verified and skip hashing it twice.
/// </summary>
public interface IVerifiedContent
{
    /// <summary>The descriptor the content is checked against.</summary>
    Descriptor Expected { get; }

    /// <summary>True once the whole content was read and matched.</summary>
    bool Verified { get; }
}
