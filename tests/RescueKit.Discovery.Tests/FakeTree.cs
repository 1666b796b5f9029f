namespace RescueKit.Discovery.Tests;

/// <summary>A temporary directory standing in for a host's root file system; deleted on dispose.</summary>
internal sealed class FakeTree : IDisposable
{
    public FakeTree() => Root = Directory.CreateTempSubdirectory("rk-discovery-").FullName;

    public string Root { get; }

    public string PathOf(string absolute) => Path.Join(Root, absolute.TrimStart('/'));

    public string File(string absolute, string content = "")
    {
        var path = PathOf(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string File(string absolute, byte[] content)
    {
        var path = PathOf(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string Dir(string absolute) => Directory.CreateDirectory(PathOf(absolute)).FullName;

    public string Symlink(string absolute, string target)
    {
        var path = PathOf(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
