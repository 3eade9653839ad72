namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// An rpm database or one of its package headers is malformed: the message names the object (file, page, slot or
/// header tag), the check that failed and what to do.
/// </summary>
public sealed class RpmDatabaseFormatException : FormatException
{
    public RpmDatabaseFormatException()
    {
    }

    public RpmDatabaseFormatException(string message)
        : base(message)
    {
    }

    public RpmDatabaseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
