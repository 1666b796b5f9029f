namespace RescueKit.Restore.Tests;

/// <summary>A rescue system's /etc/rescuekit and /run/rescuekit laid out in a temp directory.</summary>
internal sealed class FakeRescueSystem : IDisposable
{
    public FakeRescueSystem()
    {
        Root = Directory.CreateTempSubdirectory("rk-restore-test-").FullName;
        Write("etc/rescuekit/rescue.conf", "RK_VERSION='9.9.9'\nRK_LABEL='RESCUEKIT'\n");
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
