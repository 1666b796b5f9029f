using System.Runtime.InteropServices;
using RescueKit.Core.IO;

namespace RescueKit.Host.Compression;

/// <summary>
/// A write-only stream that zstd-compresses into another stream through the system libzstd, using its worker threads.
/// Disposing it ends the frame. Small writes (a tar header, a short file) are gathered into <see cref="StageSize"/>
/// before they reach libzstd, so it is called about once per MiB rather than once per member; large writes go to it
/// directly. Compressed output leaves in writes of up to <see cref="StageSize"/> too.
/// </summary>
/// <remarks>
/// Given the content size up front, the frame header records it (zstd format, Frame_Content_Size). Readers that
/// decompress a file in one piece need it: kmod 34 refuses a .ko.zst module without it ("Failed to determine
/// decompression size"), where kmod 30 streamed such frames. So every caller that knows the size says it.
/// </remarks>
public sealed unsafe class ZstdCompressStream : SequentialWriteStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private const int StageSize = 1 << 20;

    private readonly byte[] _out;
    private readonly byte[] _stage = new byte[StageSize];
    private int _staged;
    private nint _cctx;

    /// <param name="level">zstd level 1..19.</param>
    /// <param name="workers">libzstd worker threads; 0 compresses on the calling thread.</param>
    /// <param name="contentSize">The number of bytes that will be written, recorded in the frame header; writing any
    /// other number fails when the stream is disposed.</param>
    public ZstdCompressStream(Stream inner, int level = 3, int workers = 0, bool leaveOpen = false, long? contentSize = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 22);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _cctx = ZstdNative.CreateContext(ZstdNative.CreateCCtx, "ZSTD_createCCtx");
        ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.CompressionLevel, level));
        ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.ChecksumFlag, 1));
        if (workers > 0)
            ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.NbWorkers, workers));
        if (contentSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(contentSize));
            ZstdNative.Check(ZstdNative.SetPledgedSrcSize(_cctx, (ulong)size));
        }
        _out = new byte[Math.Max((int)ZstdNative.CStreamOutSize(), StageSize)];
    }

    public static bool IsAvailable()
    {
        try
        {
            return NativeLibrary.TryLoad("libzstd.so.1", out var h) && Free(h);
        }
        catch (DllNotFoundException)
        {
            return false;
        }

        static bool Free(nint h) { NativeLibrary.Free(h); return true; }
    }

    /// <summary>Hands the gathered writes to libzstd and flushes the inner stream (the frame is not flushed: what libzstd
    /// holds is compressed when more data or the end comes).</summary>
    public override void Flush()
    {
        Compress(_stage.AsSpan(0, _staged));
        _staged = 0;
        _inner.Flush();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_cctx == 0, this);
        // A write of a whole stage or more (the tar writer's 1 MiB of file data) goes to libzstd as it is: copying
        // it into the stage first would only add a copy of every large file.
        if (buffer.Length >= StageSize || _staged + buffer.Length > StageSize)
        {
            Compress(_stage.AsSpan(0, _staged));
            _staged = 0;
            if (buffer.Length >= StageSize)
            {
                Compress(buffer);
                return;
            }
        }
        buffer.CopyTo(_stage.AsSpan(_staged));
        _staged += buffer.Length;
        if (_staged < StageSize) return;
        Compress(_stage);
        _staged = 0;
    }

    private void Compress(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty) return;
        fixed (byte* src = buffer)
        {
            var input = new ZstdNative.InBuffer { Src = src, Size = (nuint)buffer.Length, Pos = 0 };
            while (input.Pos < input.Size)
                Pump(&input, ZstdNative.Continue);
        }
    }

    private nuint Pump(ZstdNative.InBuffer* input, int directive)
    {
        fixed (byte* dst = _out)
        {
            var output = new ZstdNative.OutBuffer { Dst = dst, Size = (nuint)_out.Length, Pos = 0 };
            var remaining = ZstdNative.Check(ZstdNative.CompressStream2(_cctx, &output, input, directive));
            if (output.Pos > 0) _inner.Write(_out, 0, (int)output.Pos);
            return remaining;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_cctx != 0)
        {
            try
            {
                if (disposing)
                {
                    Compress(_stage.AsSpan(0, _staged));
                    _staged = 0;
                    var empty = new ZstdNative.InBuffer();
                    while (Pump(&empty, ZstdNative.End) != 0) { }
                    _inner.Flush();
                    if (!_leaveOpen) _inner.Dispose();
                }
            }
            finally
            {
                ZstdNative.FreeCCtx(_cctx);
                _cctx = 0;
            }
        }
        base.Dispose(disposing);
    }
}
