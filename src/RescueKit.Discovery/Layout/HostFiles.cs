namespace RescueKit.Discovery.Layout;

/// <summary>The host files layout capture reads besides the tools' output (/proc, /etc/fstab, /sys/firmware, boot sectors).</summary>
internal interface IHostFiles
{
    /// <summary>The file's text, or null when it does not exist.</summary>
    string? ReadText(string path);

    bool DirectoryExists(string path);

    /// <summary>The first <paramref name="count"/> bytes of a file or device (fewer at its end), or null when unreadable.</summary>
    byte[]? ReadStart(string path, int count);
}

/// <summary>The live host's files.</summary>
internal sealed class LiveHostFiles : IHostFiles
{
    public static readonly LiveHostFiles Instance = new();

    public string? ReadText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public byte[]? ReadStart(string path, int count)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[count];
            var read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
            return buffer[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
