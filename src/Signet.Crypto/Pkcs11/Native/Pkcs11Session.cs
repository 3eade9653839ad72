using System.Runtime.InteropServices;

namespace Signet.Crypto.Pkcs11.Native;

/// <summary>
/// A PKCS#11 session (CK_SESSION_HANDLE). Not thread-safe, like the sessions themselves: callers serialise use.
/// Releasing it gives up its login (<see cref="Pkcs11Module.ReleaseLogin"/>) and calls C_CloseSession; it keeps its
/// module initialised until then.
/// </summary>
internal sealed unsafe class Pkcs11Session : SafeHandle
{
    /// <summary>The largest attribute value the binding reads (an RSA-16384 modulus is 2 KiB; labels and ids are small).</summary>
    public const int MaxAttributeLength = 16 * 1024;

    /// <summary>The largest signature the binding accepts (RSA-16384).</summary>
    public const int MaxSignatureLength = 2048;

    private readonly Pkcs11Module _module;
    private bool _loggedIn;

    internal Pkcs11Session(Pkcs11Module module, nuint slot, nuint session)
        : base(0, ownsHandle: true)
    {
        var added = false;
        module.DangerousAddRef(ref added);
        _module = module;
        Slot = slot;
        SetHandle((nint)session);
    }

    public override bool IsInvalid => handle == 0;

    public nuint Slot { get; }

    private CkFunctionList* Functions => _module.Functions;

    private nuint Session => (nuint)handle;

    /// <summary>Logs the user in (see <see cref="Pkcs11Module.Login"/>); an empty PIN with <paramref name="protectedAuthenticationPath"/> uses the device's PIN pad.</summary>
    public void Login(ReadOnlySpan<byte> pin, bool protectedAuthenticationPath, string context)
    {
        using var use = new Pkcs11Module.Use(this);
        _module.Login(Slot, Session, pin, protectedAuthenticationPath, context);
        _loggedIn = true;
    }

    /// <summary>The handles of the objects matching <paramref name="template"/>, at most <paramref name="max"/>.</summary>
    public List<nuint> FindObjects(ReadOnlySpan<Pkcs11Attribute> template, int max)
    {
        using var use = new Pkcs11Module.Use(this);
        var total = 0;
        foreach (var attribute in template)
        {
            total += attribute.Value.Length;
        }

        var values = new byte[total];
        var attributes = stackalloc CkAttribute[template.Length];
        var found = new List<nuint>();
        fixed (byte* v = values)
        {
            var offset = 0;
            for (var i = 0; i < template.Length; i++)
            {
                template[i].Value.CopyTo(values.AsSpan(offset));
                attributes[i] = new CkAttribute { Type = template[i].Type, Value = v + offset, ValueLength = (nuint)template[i].Value.Length };
                offset += template[i].Value.Length;
            }

            Pkcs11Module.Check("C_FindObjectsInit", ((delegate* unmanaged<nuint, CkAttribute*, nuint, nuint>)Functions->FindObjectsInit)(Session, attributes, (nuint)template.Length));
        }

        try
        {
            const int Batch = 16;
            var batch = stackalloc nuint[Batch];
            while (found.Count < max)
            {
                nuint count = 0;
                Pkcs11Module.Check("C_FindObjects", ((delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint>)Functions->FindObjects)(Session, batch, Batch, &count));
                if (count == 0)
                {
                    break;
                }

                for (var i = 0; i < (int)Math.Min(count, (nuint)Batch) && found.Count < max; i++)
                {
                    found.Add(batch[i]);
                }
            }
        }
        finally
        {
            Pkcs11Module.Check("C_FindObjectsFinal", ((delegate* unmanaged<nuint, nuint>)Functions->FindObjectsFinal)(Session));
        }

        return found;
    }

    /// <summary>
    /// One attribute of an object, or null when the object has none or will not reveal it (CKR_ATTRIBUTE_SENSITIVE,
    /// CKR_ATTRIBUTE_TYPE_INVALID, CK_UNAVAILABLE_INFORMATION). Values over <paramref name="maxLength"/> are refused.
    /// </summary>
    public byte[]? GetAttribute(nuint obj, nuint type, int maxLength = MaxAttributeLength)
    {
        using var use = new Pkcs11Module.Use(this);
        var getAttributeValue = (delegate* unmanaged<nuint, nuint, CkAttribute*, nuint, nuint>)Functions->GetAttributeValue;
        var attribute = new CkAttribute { Type = type };
        var rv = getAttributeValue(Session, obj, &attribute, 1);
        if (rv is Ckr.AttributeSensitive or Ckr.AttributeTypeInvalid || attribute.ValueLength == Ck.UnavailableInformation)
        {
            return null;
        }

        Pkcs11Module.Check("C_GetAttributeValue", rv, $"attribute 0x{type:X} of object {obj}");
        if (attribute.ValueLength > (nuint)maxLength)
        {
            throw new Pkcs11Exception($"attribute 0x{type:X} of object {obj} is {attribute.ValueLength} bytes, more than the {maxLength} Signet reads");
        }

        var value = new byte[(int)attribute.ValueLength];
        fixed (byte* p = value)
        {
            attribute.Value = p;
            Pkcs11Module.Check("C_GetAttributeValue", getAttributeValue(Session, obj, &attribute, 1), $"attribute 0x{type:X} of object {obj}");
        }

        return attribute.ValueLength == (nuint)value.Length ? value : value[..(int)Math.Min(attribute.ValueLength, (nuint)value.Length)];
    }

    /// <summary>A CK_ULONG attribute (CKA_CLASS, CKA_KEY_TYPE), or null when absent.</summary>
    public nuint? GetULongAttribute(nuint obj, nuint type) =>
        GetAttribute(obj, type, sizeof(nuint)) is { Length: 8 } value ? MemoryMarshal.Read<nuint>(value) : null;

    /// <summary>C_SignInit + C_Sign with a parameterless mechanism; <paramref name="expectedLength"/> sizes the first buffer.</summary>
    public byte[] Sign(nuint mechanism, nuint key, ReadOnlySpan<byte> data, int expectedLength)
    {
        using var use = new Pkcs11Module.Use(this);
        var ckMechanism = new CkMechanism { Mechanism = mechanism };
        Pkcs11Module.Check("C_SignInit", ((delegate* unmanaged<nuint, CkMechanism*, nuint, nuint>)Functions->SignInit)(Session, &ckMechanism, key));
        var sign = (delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint>)Functions->Sign;
        var signature = new byte[expectedLength];
        fixed (byte* d = data)
        {
            for (var attempt = 0; ; attempt++)
            {
                nuint length = (nuint)signature.Length;
                nuint rv;
                fixed (byte* s = signature)
                {
                    rv = sign(Session, d, (nuint)data.Length, s, &length);
                }

                // CKR_BUFFER_TOO_SMALL leaves the operation active and reports the length it needs.
                if (rv == Ckr.BufferTooSmall && attempt == 0 && length > (nuint)signature.Length && length <= MaxSignatureLength)
                {
                    signature = new byte[(int)length];
                    continue;
                }

                Pkcs11Module.Check("C_Sign", rv);
                return length == (nuint)signature.Length ? signature : signature[..(int)Math.Min(length, (nuint)signature.Length)];
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        if (_loggedIn)
        {
            _module.ReleaseLogin(Slot, Session);
        }

        var rv = ((delegate* unmanaged<nuint, nuint>)Functions->CloseSession)(Session);
        _module.DangerousRelease();
        return rv == Ckr.Ok;
    }
}

/// <summary>A search template entry: an attribute type and its encoded value.</summary>
internal readonly record struct Pkcs11Attribute(nuint Type, byte[] Value)
{
    /// <summary>A CK_ULONG-valued attribute (native byte order).</summary>
    public static Pkcs11Attribute ULong(nuint type, nuint value)
    {
        var bytes = new byte[sizeof(ulong)];
        MemoryMarshal.Write(bytes, in value);
        return new Pkcs11Attribute(type, bytes);
    }
}
