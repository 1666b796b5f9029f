using RescueKit.Core.IO;

namespace RescueKit.Host.Compression;

/// <summary>
/// A read-only stream that decompresses zstd frames (one or several, concatenated) from another stream through the
/// system libzstd. Input that ends inside a frame is an <see cref="InvalidDataException"/>, so a truncated archive is
/// never mistaken for a short one.
/// </summary>
public sealed unsafe class ZstdDecompressStream : SequentialReadStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _in;
    private int _inPos;
    private int _inLength;
    private nint _dctx;
    // ZSTD_decompressStream returns 0 exactly when a frame is complete; input ending elsewhere is truncation.
    private bool _frameComplete = true;
    private bool _innerEnded;

    public ZstdDecompressStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _dctx = ZstdNative.CreateContext(ZstdNative.CreateDCtx, "ZSTD_createDCtx");
        _in = new byte[(int)ZstdNative.DStreamInSize()];
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_dctx == 0, this);
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_inPos == _inLength && !_innerEnded)
            {
                _inLength = _inner.Read(_in, 0, _in.Length);
                _inPos = 0;
                _innerEnded = _inLength == 0;
            }
            if (_inPos == _inLength && _innerEnded)
            {
                if (!_frameComplete) throw new InvalidDataException("zstd: the compressed data ends inside a frame (truncated)");
                return 0;
            }
            fixed (byte* src = _in)
            fixed (byte* dst = buffer)
            {
                var input = new ZstdNative.InBuffer { Src = src, Size = (nuint)_inLength, Pos = (nuint)_inPos };
                var output = new ZstdNative.OutBuffer { Dst = dst, Size = (nuint)buffer.Length, Pos = 0 };
                var hint = ZstdNative.DecompressStream(_dctx, &output, &input);
                if (ZstdNative.IsError(hint) != 0)
                    throw new InvalidDataException("zstd: " + System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)ZstdNative.GetErrorName(hint)));
                _inPos = (int)input.Pos;
                _frameComplete = hint == 0;
                if (output.Pos > 0) return (int)output.Pos;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_dctx != 0)
        {
            ZstdNative.FreeDCtx(_dctx);
            _dctx = 0;
            if (disposing && !_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
