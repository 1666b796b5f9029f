using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// `rescuekit backup --to nfs://...` for real (issue 3): the build machine's kernel has no NFS client, so the backup
/// runs in the VM lab (the published binary through hostrun, with the host's mount.nfs), against NFS-Ganesha on the
/// host's loopback, which the guest reaches only through QEMU's restricted user network (VmLab.ForwardToHost). The
/// host then checks what landed in the exported directory with its own rescuekit verify and extract.
/// </summary>
[Category("Boot")]
public sealed class NfsBackupVmTests
{
    private const long MiB = 1024 * 1024;
    private const string GuestHost = "rklab";
    private const int SilentPort = 2049;

    [Test]
    public void BackupToNfs_InTheGuest_PublishesPrunesAndIncrementsSetsTheHostVerifies()
    {
        var binary = RequirePublishedBinary();
        ExternalTool.Require("mount.nfs", "nfs-common");
        ExternalTool.Require("setfattr", "attr");
        using var lab = new VmLab("nfs-backup", ["nfs", "nfsv4", "ext4", "crc32c_generic"]);
        using var server = GaneshaServer.Start(lab.WorkDirectory);
        var sets = Path.Combine(server.ExportDirectory, "sets");
        Directory.CreateDirectory(sets);
        lab.ForwardToHost(server.Port, server.Port);
        // A "server" that takes the connection, reads every request and never answers: a hung NFS server.
        lab.ForwardToCommand(SilentPort, $"{InitramfsStaging.Busybox} cat");
        lab.AddBlankDisk(192 * MiB);
        var target = $"nfs://{VmLab.HostServiceAddress}:{server.Port.ToString(CultureInfo.InvariantCulture)}/export/sets";

        var exit = lab.Run($$"""
            set -e
            hostname {{GuestHost}}
            hostrun mkfs.ext4 -q -L data /dev/vda
            mkdir -p /host/tmp/data
            mount -t ext4 /dev/vda /host/tmp/data
            d=/host/tmp/data
            echo hello > $d/hello.txt
            hostrun setfattr -n user.rescuekit -v over-nfs /tmp/data/hello.txt
            mkdir $d/dir
            ln -s ../hello.txt $d/dir/link
            head -c 300000 /dev/urandom > $d/random.bin
            # 4 MiB hole, then one 4 KiB block of data.
            dd if=/dev/urandom of=$d/sparse bs=4096 seek=1024 count=1 2>/dev/null
            sync
            (cd $d && sha256sum random.bin sparse) > sums
            # Each run: its exit code, its output, and what it left mounted under /run/rescuekit.
            run() {
                name=$1; shift
                rc=0
                start=$(date +%s)
                hostrun {{binary}} "$@" > $name.out 2>&1 || rc=$?
                echo $rc > $name.rc
                echo $(( $(date +%s) - start )) > $name.seconds
                (grep -cE ' nfs4? ' /proc/mounts || true) > $name.mounts
                (ls /host/run/rescuekit 2>/dev/null | grep -c '^nfs-' || true) > $name.mountpoints
                cat $name.out
            }
            run full1 backup --to {{target}} --device /dev/vda
            echo second > $d/second.txt
            run full2 backup --to {{target}} --device /dev/vda --keep 1
            full2=$(sed -n 's/^Backup: \(nfs:[^ ]*\) .*/\1/p' full2.out)
            echo third > $d/third.txt
            rm $d/random.bin
            run incr3 backup --to {{target}} --device /dev/vda --since $full2
            incr3=$(sed -n 's/^Backup: \(nfs:[^ ]*\) .*/\1/p' incr3.out)
            run verify3 verify $incr3
            # SIGTERM in the middle of a backup (busybox sh starts background jobs with SIGINT ignored, so not Ctrl+C's
            # SIGINT): it stops, unmounts and leaves no set.
            head -c 100000000 /dev/urandom > $d/big.bin
            rc=0
            hostrun {{binary}} backup --to {{target}} --device /dev/vda > term.out 2>&1 &
            pid=$!
            i=0
            while ! grep -q 'Set tmp-data: /tmp/data' term.out && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
            sleep 1
            kill -TERM $pid
            wait $pid || rc=$?
            echo $rc > term.rc
            (grep -cE ' nfs4? ' /proc/mounts || true) > term.mounts
            (ls /host/run/rescuekit 2>/dev/null | grep -c '^nfs-' || true) > term.mountpoints
            cat term.out
            rm $d/big.bin
            run noexport backup --to nfs://{{VmLab.HostServiceAddress}}:{{server.Port}}/export/nope --device /dev/vda
            # An address nothing answers on: QEMU's restricted network drops the connection.
            run unreachable backup --to nfs://10.0.2.101/export/sets --device /dev/vda
            run silent backup --to nfs://{{VmLab.HostServiceAddress}}:{{SilentPort}}/export/sets --device /dev/vda
            """, TimeSpan.FromMinutes(12));

        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        TestContext.Out.WriteLine(lab.ReadResult("output.log"));
        foreach (var run in new[] { "full1", "full2", "incr3", "verify3" })
            Assert.That(Result(lab, run, "rc"), Is.EqualTo("0"), $"{run}:\n{lab.ReadResult(run + ".out")}");
        foreach (var run in new[] { "full1", "full2", "incr3", "verify3", "term", "noexport", "unreachable", "silent" })
        {
            Assert.That(Result(lab, run, "mounts"), Is.EqualTo("0"), $"{run} left an NFS mount");
            Assert.That(Result(lab, run, "mountpoints"), Is.EqualTo("0"), $"{run} left its mount point in /run/rescuekit");
        }

        // --keep 1 pruned the first full backup; the incremental kept the second, its base.
        var hostDir = Path.Combine(sets, GuestHost);
        var ids = Directory.GetDirectories(hostDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var full2Id = BackupId(lab, "full2");
        var incr3Id = BackupId(lab, "incr3");
        Assert.That(ids, Is.EqualTo(new[] { full2Id, incr3Id }), "one full and its incremental; the terminated one left nothing");
        Assert.That(Result(lab, "term", "rc"), Is.EqualTo("130"), lab.ReadResult("term.out"));
        Assert.That(ids, Does.Not.Contain(BackupId(lab, "full1")));
        Assert.That(lab.ReadResult("verify3.out"), Does.Contain($"OK   {BackupUrl(lab, "incr3")}: "),
            "verify of an nfs:// backup names it by its URL");

        // The host's own rescuekit on the exported directory: every chunk verifies, the extract is the guest's tree.
        foreach (var id in ids)
            Assert.That(RunOk(binary, "verify", Path.Combine(hostDir, id!)), Does.StartWith("OK "));
        var extracted = Path.Combine(lab.WorkDirectory, "extracted");
        RunOk(binary, "extract", Path.Combine(hostDir, incr3Id), "--to", extracted);
        Assert.That(File.ReadAllText(Path.Combine(extracted, "hello.txt")), Is.EqualTo("hello\n"));
        Assert.That(File.ReadAllText(Path.Combine(extracted, "second.txt")), Is.EqualTo("second\n"));
        Assert.That(File.ReadAllText(Path.Combine(extracted, "third.txt")), Is.EqualTo("third\n"));
        Assert.That(File.Exists(Path.Combine(extracted, "random.bin")), Is.False, "the incremental records the deletion");
        Assert.That(new FileInfo(Path.Combine(extracted, "dir", "link")).LinkTarget, Is.EqualTo("../hello.txt"));
        Assert.That(ExternalTool.RunOk("getfattr", "attr", ["--only-values", "-n", "user.rescuekit", Path.Combine(extracted, "hello.txt")]),
            Is.EqualTo("over-nfs"));
        var sparse = Path.Combine(extracted, "sparse");
        var sums = lab.ReadResult("sums");
        Assert.That(sums, Does.Contain(Sha256(sparse) + "  sparse"));
        Assert.That(long.Parse(ExternalTool.RunOk("stat", "coreutils", ["-c", "%b", sparse]).Trim(), CultureInfo.InvariantCulture) * 512,
            Is.LessThan(1 * MiB), "the 4 MiB hole is restored as a hole");
        RunOk(binary, "extract", Path.Combine(hostDir, full2Id), "--to", Path.Combine(lab.WorkDirectory, "extracted2"));
        Assert.That(sums, Does.Contain(Sha256(Path.Combine(lab.WorkDirectory, "extracted2", "random.bin")) + "  random.bin"));

        // A path the server does not export: exit 4 at once. An address nothing answers: exit 2 within the mount's bound.
        AssertOneError(lab, "noexport", 4, "the server has no export or directory /export/nope");
        AssertOneError(lab, "unreachable", 2, "cannot mount nfs://10.0.2.101/export/sets");
        Assert.That(lab.ReadResult("unreachable.out"), Does.Match("is unreachable|did not answer"));
        Assert.That(int.Parse(Result(lab, "unreachable", "seconds"), CultureInfo.InvariantCulture), Is.LessThan(120),
            "a server that never answers gives its error within the 60 s mount bound (plus the backup's own start)");
        AssertOneError(lab, "silent", 2, "did not answer within 60 s");
        Assert.That(int.Parse(Result(lab, "silent", "seconds"), CultureInfo.InvariantCulture), Is.LessThan(120));
        TestContext.Out.WriteLine($"unreachable server: error after {Result(lab, "unreachable", "seconds")} s; " +
                                  $"silent server: after {Result(lab, "silent", "seconds")} s; " +
                                  $"lab run {lab.Machine!.Elapsed.TotalSeconds:0.0} s under TCG");
    }

    private static string RequirePublishedBinary()
    {
        VmLab.RequireQemu();
        var binary = Path.Combine(RepoPaths.Root, "out", "publish", "rescuekit");
        if (!File.Exists(binary)) Assert.Fail($"{binary} is missing: run 'make publish' (make test does it first)");
        return binary;
    }

    private static string Result(VmLab lab, string run, string what) => lab.ReadResult($"{run}.{what}").Trim();

    /// <summary>Where a backup run said it published its set: "Backup: nfs://.../HOST/ID (...)".</summary>
    private static string BackupUrl(VmLab lab, string run)
    {
        var m = Regex.Match(lab.ReadResult(run + ".out"), @"^Backup: (nfs://\S+/" + GuestHost + @"/\S+) \(", RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, lab.ReadResult(run + ".out"));
        return m.Groups[1].Value;
    }

    private static string BackupId(VmLab lab, string run) => BackupUrl(lab, run).Split('/')[^1];

    private static void AssertOneError(VmLab lab, string run, int exitCode, string mention)
    {
        var output = lab.ReadResult(run + ".out");
        Assert.That(Result(lab, run, "rc"), Is.EqualTo(exitCode.ToString(CultureInfo.InvariantCulture)), output);
        var errors = output.Split('\n').Where(l => l.StartsWith("rescuekit: error:", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), output);
        Assert.That(errors[0], Does.Contain(mention));
    }

    private static string RunOk(string binary, params string[] args) => ExternalTool.RunOk(binary, "rescuekit (make publish)", args);

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f));
    }
}
