using System.Net;
using System.Security.Cryptography;
using RescueKit.Net.Tftp;
using Serilog;

namespace RescueKit.Net.Tests;

/// <summary>A served tree in a temporary directory with files of known content, and the helpers the tests share.</summary>
internal sealed class ServedScratch : IDisposable
{
    public ServedScratch()
    {
        Root = Directory.CreateTempSubdirectory("rk-net-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "root"));
    }

    public string Root { get; }
    public string Served => Path.Combine(Root, "root");

    /// <summary>Writes a file of pseudo-random bytes under the served tree and returns its content.</summary>
    public byte[] File(string relative, int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(Served, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return bytes;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// This process's descriptors that a server could leak: sockets and files of the served tree. (Pipes of the client
    /// processes the tests run and the runtime's own files come and go with the garbage collector, so they are left out.)
    /// </summary>
    public int ServerDescriptors() => Directory.GetFiles("/proc/self/fd")
        .Select(f => { try { return new FileInfo(f).LinkTarget ?? ""; } catch (IOException) { return ""; } })
        .Count(t => t.StartsWith("socket:", StringComparison.Ordinal) || t.StartsWith(Root, StringComparison.Ordinal));

    public TftpServer Tftp(TftpServerSettings? settings = null) =>
        new(settings ?? new TftpServerSettings(IPAddress.Loopback, 0), Served, new TransferCounter(), new LoggerConfiguration().CreateLogger());

    /// <summary>Waits (bounded) for a condition that a background thread makes true.</summary>
    public static void Eventually(Func<bool> condition, string what, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"{what} did not happen within {seconds} s");
            Thread.Sleep(20);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
