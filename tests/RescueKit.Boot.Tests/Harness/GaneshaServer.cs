using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// An NFSv4 server for the VM lab's NFS tests: NFS-Ganesha (userspace, so the build machine's kernel needs no nfsd),
/// run in the foreground with its config, log, pid file and recovery directory in <paramref name="workDirectory"/>,
/// listening on 127.0.0.1 only, on a free port, and exporting one directory read-write without root squash as the
/// NFSv4 pseudo path <see cref="PseudoPath"/>. Disposing it kills the server.
/// </summary>
public sealed class GaneshaServer : IDisposable
{
    public const string PseudoPath = "/export";
    private const string FsalDirectory = "/usr/lib/x86_64-linux-gnu/ganesha";

    private readonly Process _process;

    private GaneshaServer(Process process, int port, string exportDirectory, string logFile)
    {
        _process = process;
        Port = port;
        ExportDirectory = exportDirectory;
        LogFile = logFile;
    }

    public int Port { get; }

    /// <summary>The host directory the clients see at <see cref="PseudoPath"/>.</summary>
    public string ExportDirectory { get; }

    public string LogFile { get; }

    /// <summary>Starts the server and waits until it accepts connections; fails the test naming what to install.</summary>
    public static GaneshaServer Start(string workDirectory)
    {
        var program = ExternalTool.Require("ganesha.nfsd", "nfs-ganesha");
        ExternalTool.Require(Path.Combine(FsalDirectory, "libfsalvfs.so"), "nfs-ganesha-vfs");
        var export = Path.Combine(workDirectory, "export");
        var recovery = Path.Combine(workDirectory, "recovery");
        Directory.CreateDirectory(export);
        Directory.CreateDirectory(recovery);
        var port = FreePort();
        var config = Path.Combine(workDirectory, "ganesha.conf");
        // NFSv4 only, TCP only, no NLM or RQUOTA: those are the parts that need rpcbind, which this container lacks
        // (ganesha then logs that it cannot register with it, and serves anyway). Graceless: a fresh server would
        // otherwise refuse OPENs for its 90 s grace period. Numeric owners: the guest runs no idmapd, and would see
        // every file as nobody. DBus is absent too; ganesha logs it and goes on.
        File.WriteAllText(config, $$"""
            NFS_CORE_PARAM {
                Protocols = 4;
                NFS_Port = {{port.ToString(CultureInfo.InvariantCulture)}};
                Bind_addr = 127.0.0.1;
                Enable_NLM = false;
                Enable_RQUOTA = false;
                Enable_UDP = false;
                Plugins_Dir = "{{FsalDirectory}}";
            }
            NFSV4 {
                Graceless = true;
                Only_Numeric_Owners = true;
                RecoveryBackend = fs;
                RecoveryRoot = "{{recovery}}";
            }
            EXPORT {
                Export_Id = 1;
                Path = "{{export}}";
                Pseudo = "{{PseudoPath}}";
                Protocols = 4;
                Access_Type = RW;
                Squash = No_Root_Squash;
                SecType = sys;
                FSAL { Name = VFS; }
            }
            """);
        var log = Path.Combine(workDirectory, "ganesha.log");
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-F", "-f", config, "-L", log, "-p", Path.Combine(workDirectory, "ganesha.pid"), "-N", "NIV_EVENT" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new GaneshaServer(process, port, export, log);
        var deadline = Stopwatch.StartNew();
        while (!server.Accepts())
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
                server.Dispose();
                Assert.Fail($"ganesha.nfsd did not start listening on 127.0.0.1:{port}:\n{tail}");
            }
            Thread.Sleep(200);
        }
        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
