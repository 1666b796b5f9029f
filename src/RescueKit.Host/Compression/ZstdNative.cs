using System.Runtime.InteropServices;
using RescueKit.Core;

namespace RescueKit.Host.Compression;

// A thin binding to the system libzstd (Debian package libzstd1), zstd.h v1.4+ "advanced streaming API".
internal static unsafe partial class ZstdNative
{
    private const string Library = "libzstd.so.1";

    // zstd.h: ZSTD_cParameter
    internal const int CompressionLevel = 100;
    internal const int ChecksumFlag = 201;
    internal const int NbWorkers = 400;

    // zstd.h: ZSTD_EndDirective
    internal const int Continue = 0;
    internal const int End = 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial nint CreateCCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    internal static partial nuint SetParameter(nint cctx, int parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setPledgedSrcSize")]
    internal static partial nuint SetPledgedSrcSize(nint cctx, ulong pledgedSrcSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressStream2")]
    internal static partial nuint CompressStream2(nint cctx, OutBuffer* output, InBuffer* input, int endOp);

    [LibraryImport(Library, EntryPoint = "ZSTD_CStreamOutSize")]
    internal static partial nuint CStreamOutSize();

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial nint CreateDCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static partial nuint DecompressStream(nint dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library, EntryPoint = "ZSTD_DStreamInSize")]
    internal static partial nuint DStreamInSize();

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    internal static partial byte* GetErrorName(nuint code);

    /// <summary>
    /// A compression or decompression context from <paramref name="create"/> (the first call into libzstd, so where a
    /// missing library shows): a missing libzstd.so.1 is a missing prerequisite naming its package.
    /// </summary>
    internal static nint CreateContext(Func<nint> create, string function)
    {
        nint context;
        try
        {
            context = create();
        }
        catch (DllNotFoundException e)
        {
            throw new MissingPrerequisiteException("the zstd library libzstd.so.1", "libzstd1", e.Message);
        }
        if (context == 0) throw new OutOfMemoryException(function + " failed");
        return context;
    }

    internal static nuint Check(nuint code)
    {
        if (IsError(code) != 0)
            throw new IOException("zstd: " + Marshal.PtrToStringUTF8((nint)GetErrorName(code)));
        return code;
    }
}
