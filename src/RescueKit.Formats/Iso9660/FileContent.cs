namespace RescueKit.Formats.Iso9660;

/// <summary>Where a file's bytes come from. Only the length is known while planning; bytes are read while writing.</summary>
internal abstract class FileContent
{
    public abstract long Length { get; }

    /// <summary>A readable, seekable stream positioned at 0 holding exactly <see cref="Length"/> bytes.</summary>
    public abstract Stream Open();
}

/// <summary>A host file, opened only when its extent is written; a size change since planning is an error.</summary>
internal sealed class HostFileContent(string hostPath, long length) : FileContent
{
    public string HostPath { get; } = hostPath;
    public override long Length { get; } = length;

    public override Stream Open()
    {
        var stream = new FileStream(HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var actual = stream.Length;
        if (actual != Length)
        {
            stream.Dispose();
            throw new IOException($"'{HostPath}' changed size while the image was built ({Length} -> {actual} bytes)");
        }
        return stream;
    }
}

internal sealed class BytesContent(byte[] bytes) : FileContent
{
    public override long Length => bytes.Length;
    public override Stream Open() => new MemoryStream(bytes, writable: false);
}

/// <summary>Bytes that depend on the layout (the boot catalog), built when the extent is written.</summary>
internal sealed class GeneratedContent(int length, Func<byte[]> build) : FileContent
{
    public override long Length => length;
    public override Stream Open() => new MemoryStream(build(), writable: false);
}
