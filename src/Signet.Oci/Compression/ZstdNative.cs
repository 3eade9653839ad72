using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Signet.Oci.Compression;

/// <summary>
/// P/Invoke declarations for the system libzstd (Debian package libzstd1). Only the stable API of zstd.h is used,
/// plus ZSTD_getErrorCode from zstd_errors.h. <see cref="EnsureAvailable"/> must be called before the first call so a
/// missing library is reported with what to install rather than a bare <see cref="DllNotFoundException"/>.
/// </summary>
internal static partial class ZstdNative
{
    internal const string LibraryName = "libzstd";

    /// <summary>ZSTD_d_windowLogMax (zstd.h, ZSTD_dParameter).</summary>
    internal const int DParameterWindowLogMax = 100;

    /// <summary>ZSTD_c_compressionLevel (zstd.h, ZSTD_cParameter).</summary>
    internal const int CParameterCompressionLevel = 100;

    /// <summary>ZSTD_c_checksumFlag (zstd.h, ZSTD_cParameter).</summary>
    internal const int CParameterChecksumFlag = 201;

    /// <summary>ZSTD_error_frameParameter_windowTooLarge (zstd_errors.h).</summary>
    internal const int ErrorWindowTooLarge = 16;

    internal const int EndContinue = 0;
    internal const int EndFlush = 1;
    internal const int EndFrame = 2;

    /// <summary>Names tried in order: the Debian/Ubuntu soname first, then the usual names on other systems.</summary>
    private static readonly string[] Candidates =
        ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll", "zstd.dll"];

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static string? _failure;

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct InBuffer
    {
        public byte* Source;
        public nuint Size;
        public nuint Position;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct OutBuffer
    {
        public byte* Destination;
        public nuint Size;
        public nuint Position;
    }

    /// <summary>Loads libzstd once; throws a <see cref="DllNotFoundException"/> that says what to install when it is missing.</summary>
    internal static void EnsureAvailable()
    {
        lock (Gate)
        {
            if (_handle != 0)
            {
                return;
            }

            if (_failure is null)
            {
                foreach (var candidate in Candidates)
                {
                    if (NativeLibrary.TryLoad(candidate, typeof(ZstdNative).Assembly, DllImportSearchPath.SafeDirectories, out var handle))
                    {
                        _handle = handle;
                        NativeLibrary.SetDllImportResolver(typeof(ZstdNative).Assembly, Resolve);
                        return;
                    }
                }

                _failure = $"the zstd library could not be loaded (tried {string.Join(", ", Candidates)}). " +
                    "Install it (Debian/Ubuntu: apt-get install libzstd1; Fedora: dnf install libzstd; macOS: brew install zstd) " +
                    "to read or write zstd-compressed layers.";
            }

            throw new DllNotFoundException(_failure);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? _handle : 0;

    internal static string ErrorName(nuint code) => Marshal.PtrToStringUTF8(ZSTD_getErrorName(code)) ?? $"zstd error {code}";

    internal static bool IsError(nuint code) => ZSTD_isError(code) != 0;

    [LibraryImport(LibraryName)]
    internal static partial DStreamHandle ZSTD_createDStream();

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_freeDStream(nint zds);

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_initDStream(DStreamHandle zds);

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_DCtx_setParameter(DStreamHandle dctx, int parameter, int value);

    [LibraryImport(LibraryName)]
    internal static unsafe partial nuint ZSTD_decompressStream(DStreamHandle zds, OutBuffer* output, InBuffer* input);

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_DStreamInSize();

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_DStreamOutSize();

    [LibraryImport(LibraryName)]
    internal static partial CStreamHandle ZSTD_createCStream();

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_freeCStream(nint zcs);

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_CCtx_setParameter(CStreamHandle cctx, int parameter, int value);

    [LibraryImport(LibraryName)]
    internal static unsafe partial nuint ZSTD_compressStream2(CStreamHandle cctx, OutBuffer* output, InBuffer* input, int endOp);

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_CStreamInSize();

    [LibraryImport(LibraryName)]
    internal static partial nuint ZSTD_CStreamOutSize();

    [LibraryImport(LibraryName)]
    internal static partial uint ZSTD_isError(nuint code);

    [LibraryImport(LibraryName)]
    internal static partial nint ZSTD_getErrorName(nuint code);

    [LibraryImport(LibraryName)]
    internal static partial int ZSTD_getErrorCode(nuint functionResult);

    /// <summary>Owns a ZSTD_DStream* (the same object as a ZSTD_DCtx*).</summary>
    internal sealed class DStreamHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public DStreamHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            ZSTD_freeDStream(handle);
            return true;
        }
    }

    /// <summary>Owns a ZSTD_CStream* (the same object as a ZSTD_CCtx*).</summary>
    internal sealed class CStreamHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public CStreamHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            ZSTD_freeCStream(handle);
            return true;
        }
    }
}
