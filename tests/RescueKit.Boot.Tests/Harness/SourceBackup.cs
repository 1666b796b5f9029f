using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// What the source machine makes of itself before it dies, as its administrator would: booted from (copies of) its own
/// disks under SeaBIOS, rescuekit installed in /usr/local/sbin, `rescuekit layout save` and `rescuekit mkbackup
/// --output iso` run there, on its own kernel, modules and tools. The binary comes in, and the ISO goes out, through a
/// 9p share (not a disk, which the layout would record as one of the machine's). Under TCG this takes minutes, so the
/// result is cached in /var/cache/rescuekit-tests/source-backup-KEY/, keyed by the source machine and the rescuekit
/// binary; a new key removes the older results of the same variant (each holds an ISO of some 400 MB). The
/// <see cref="SourceVariant.SecureBoot"/> machine is booted under OVMF with Secure Boot enforcing instead, and first
/// gets the NVRAM entry for \EFI\debian\shimx64.efi that Debian's grub-install makes (the lab that built it has no
/// firmware variables), so its layout records the boot through shim (secureboot-source-backup-KEY/).
/// </summary>
internal sealed class SourceBackup
{
    /// <summary>Bumped when what is run in the source machine changes.</summary>
    private const int FormatVersion = 1;

    private const string CacheRoot = "/var/cache/rescuekit-tests";

    private static readonly TimeSpan BackupTimeout = TimeSpan.FromMinutes(40);

    private static readonly Lazy<SourceBackup> PlainInstance =
        new(() => Make(SourceMachine.Cached), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<SourceBackup> SecureBootInstance =
        new(() => Make(SourceMachine.SecureBootCached), LazyThreadSafetyMode.ExecutionAndPublication);

    private SourceBackup(string directory) => Directory = directory;

    /// <summary>The source machine's backup ISO, made first when absent.</summary>
    public static SourceBackup Cached => PlainInstance.Value;

    /// <summary>The Secure Boot source machine's backup ISO, made under Secure Boot first when absent.</summary>
    public static SourceBackup SecureBootCached => SecureBootInstance.Value;

    /// <summary>rescuekit.iso, layout.json, mkbackup.log, transcript.log.</summary>
    public string Directory { get; }

    /// <summary>The rescue ISO with the backup on it, as `mkbackup --output iso` wrote it in the source machine.</summary>
    public string Iso => Path.Combine(Directory, "rescuekit.iso");

    /// <summary>What `rescuekit layout save` wrote in the source machine.</summary>
    public string LayoutJson => Path.Combine(Directory, "layout.json");

    private static SourceBackup Make(SourceMachine source)
    {
        var secureBoot = source.Variant == SourceVariant.SecureBoot;
        var script = (secureBoot ? BootEntryThroughShim : "") + Script;
        // Not source-backup-secureboot-: older checkouts remove every source-backup-* when they make theirs.
        var prefix = secureBoot ? "secureboot-source-backup-" : "source-backup-";
        var binary = RescueIsoFixture.Binary;
        string binaryHash;
        using (var stream = File.OpenRead(binary)) binaryHash = Convert.ToHexStringLower(SHA256.HashData(stream));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            $"format {FormatVersion}", Path.GetFileName(source.Directory), binaryHash, script))))[..12];
        var final = Path.Combine(CacheRoot, prefix + key);
        if (System.IO.Directory.Exists(final)) return new SourceBackup(final);

        var clock = Stopwatch.StartNew();
        var work = Path.Combine(CacheRoot, $".{prefix}{key}.tmp.{Environment.ProcessId}");
        if (System.IO.Directory.Exists(work)) System.IO.Directory.Delete(work, recursive: true);
        var share = System.IO.Directory.CreateDirectory(Path.Combine(work, "share")).FullName;
        File.Copy(binary, Path.Combine(share, "rescuekit"));
        File.SetUnixFileMode(Path.Combine(share, "rescuekit"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(share, "empty.yaml"), "");
        TestContext.Progress.WriteLine($"source backup: booting the source machine to back it up into {final} (once; cached)");
        var disks = source.CopyDisks(Path.Combine(work, "disks"));
        using (var machine = SourceMachine.Boot("source-backup", disks, secureBoot ? QemuFirmware.Ovmf : QemuFirmware.SeaBios, work,
                   configure: b => b.WithMemory(2048).WithTranscriptFile(Path.Combine(work, "transcript.log"))
                    .WithArguments("-virtfs", $"local,path={share},mount_tag=rk,security_model=none,id=rk"), secureBoot: secureBoot))
        {
            var (output, exit) = machine.RunShell(script.ReplaceLineEndings(" "), BackupTimeout);
            if (exit != 0)
                Assert.Fail($"the source machine's layout save or mkbackup exited {exit}:\n{output}\n{Tail(Path.Combine(share, "mkbackup.log"))}");
            machine.SendLine("poweroff");
            machine.WaitForExit(TimeSpan.FromMinutes(3));
        }

        var isos = System.IO.Directory.GetFiles(Path.Combine(share, "out"), "rescuekit-*.iso");
        Assert.That(isos, Has.Length.EqualTo(1), "mkbackup wrote one ISO");
        File.Move(isos[0], Path.Combine(work, "rescuekit.iso"));
        foreach (var name in new[] { "layout.json", "mkbackup.log" }) File.Move(Path.Combine(share, name), Path.Combine(work, name));
        System.IO.Directory.Delete(Path.Combine(work, "disks"), recursive: true);
        System.IO.Directory.Delete(share, recursive: true);
        File.WriteAllText(Path.Combine(work, "key.txt"), $"format {FormatVersion}\nsource {source.Directory}\nbinary {binary}\nmade in {clock.Elapsed.TotalSeconds:F0} s\n");
        // prefix + a 12-digit key: the other variant's results (a longer prefix) are not this one's to remove.
        foreach (var old in System.IO.Directory.GetDirectories(CacheRoot, prefix + "*")
                     .Where(d => Path.GetFileName(d).Length == prefix.Length + 12))
            System.IO.Directory.Delete(old, recursive: true);
        System.IO.Directory.Move(work, final);
        TestContext.Progress.WriteLine($"source backup: made in {clock.Elapsed.TotalSeconds:F0} s");
        return new SourceBackup(final);
    }

    /// <summary>
    /// One shell line in the source machine: the share mounted, rescuekit installed as an administrator would, the
    /// layout saved and the backup ISO written to the share (the output redirected: plain log lines, no progress bars).
    /// </summary>
    private const string Script = """
        mkdir -p /mnt/rk && mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 rk /mnt/rk &&
        install -m 0755 /mnt/rk/rescuekit /usr/local/sbin/rescuekit &&
        rescuekit layout save --out /mnt/rk/layout.json > /mnt/rk/layout.log 2>&1 &&
        rescuekit mkbackup --output iso --out /mnt/rk/out --config /mnt/rk/empty.yaml > /mnt/rk/mkbackup.log 2>&1;
        rc=$?; tail -n 5 /mnt/rk/mkbackup.log; sync; (exit $rc)
        """;

    /// <summary>What `grub-install --uefi-secure-boot` does to the firmware on a Debian install: an entry "debian"
    /// loading shim from the ESP (/dev/vda2), first in BootOrder; the machine has booted with Secure Boot on.</summary>
    private const string BootEntryThroughShim = """
        dmesg | grep -q 'Secure boot enabled' &&
        efibootmgr --quiet --create --disk /dev/vda --part 2 --label debian --loader '\EFI\debian\shimx64.efi' &&

        """;

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(40)) : $"({path} was not written)";
}
