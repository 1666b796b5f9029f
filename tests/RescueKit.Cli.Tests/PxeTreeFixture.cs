using System.Text.Json;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>A PXE tree of this host built by the published mkrescue under two names and MACs (alpha, beta).</summary>
internal static class PxeTreeFixture
{
    public const string MacA = "52:54:00:aa:00:01";
    public const string MacB = "52:54:00:bb:00:02";
    public const string HttpUrl = "http://127.0.0.1:8080/";

    public static void Build(string root)
    {
        foreach (var (host, mac) in new[] { ("alpha", MacA), ("beta", MacB) })
        {
            var r = Rescuekit.Run("mkrescue", "--output", "pxe", "--root", root, "--host-name", host, "--mac", mac, "--http-url", HttpUrl);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stdout + r.Stderr);
            Assert.That(r.Stdout, Does.Contain($"PXE tree: {root}, host {host} ({mac})"));
        }
    }

    /// <summary>The host's files and per-MAC files, name → sha256sum.</summary>
    public static Dictionary<string, string> Hashes(string root, string host)
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "rescuekit", host, "manifest.json"))).RootElement;
        var files = Directory.GetFiles(Path.Combine(root, "rescuekit", host)).ToList();
        foreach (var mac in manifest.GetProperty("macs").EnumerateArray().Select(m => m.GetString()!))
        {
            files.Add(Path.Combine(root, "pxelinux.cfg", "01-" + mac));
            files.Add(Path.Combine(root, "grub", "grub.cfg-01-" + mac));
        }
        return files.ToDictionary(f => Path.GetRelativePath(root, f), Sha256sum);
    }

    public static string Sha256sum(string path) => ExternalTool.RunOk("sha256sum", "coreutils", [path]).Split(' ')[0];

    /// <summary>The manifest's SHA-256 of one of the host's files.</summary>
    public static string ManifestSha256(string root, string host, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "rescuekit", host, "manifest.json"))).RootElement
            .GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == file).GetProperty("sha256").GetString()!;
}
