namespace RescueKit.Net;

/// <summary>
/// A directory served read-only over TFTP or HTTP. A request path is taken relative to the root whatever its leading
/// slashes; '..' is refused outright; and after the file is opened, the real path of the open descriptor
/// (/proc/self/fd/N) must lie inside the root's real path, so no symlink anywhere in the path, and no rename racing the
/// check, can leave the tree. Directories are never listed: they are not found.
/// </summary>
internal sealed class ServedTree
{
    public ServedTree(string root)
    {
        var full = Path.GetFullPath(root);
        Root = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        Root = Path.TrimEndingDirectorySeparator(Root);
    }

    /// <summary>The root's real path (symlinks resolved).</summary>
    public string Root { get; }

    /// <summary>Opens <paramref name="requestPath"/> for reading, or says why not.</summary>
    public ServedFile Open(string requestPath)
    {
        // PXE ROMs of Windows heritage send backslashes; treat them as separators rather than as name bytes.
        var parts = requestPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p == ".." || p.Contains('\0'))) return ServedFile.Refused;
        var path = Path.Combine([Root, .. parts.Where(p => p != ".")]);
        if (parts.Length == 0 || Directory.Exists(path) || !File.Exists(path)) return ServedFile.Missing;
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.SequentialScan, BufferSize = 0,
            });
        }
        catch (UnauthorizedAccessException) { return ServedFile.Refused; }
        catch (IOException) { return ServedFile.Missing; }
        var real = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        if (real is null || !real.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            stream.Dispose();
            return ServedFile.Refused;
        }
        var info = new FileInfo(real);
        return new ServedFile(ServedFileStatus.Opened, stream, real, stream.Length, info.LastWriteTimeUtc);
    }
}
