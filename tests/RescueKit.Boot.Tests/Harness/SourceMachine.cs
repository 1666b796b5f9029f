using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// The restore end-to-end test's source machine (issue 9): two virtio disks holding a bootable Debian 13 on GPT
/// (BIOS boot, ESP, Linux RAID on each), md RAID1 and LVM (vg0: root ext4, home xfs, swap), with GRUB for BIOS and
/// UEFI and a marker tree in /home/rk-marker. tests/vm/source-machine.sh builds it in the VM lab, because this
/// machine's kernel has no partitions on loop devices, no md and no device-mapper. A build takes minutes under TCG,
/// so the finished images are cached in /var/cache/rescuekit-tests/source-vm-KEY/ (source-vm-secureboot-KEY/ for the
/// <see cref="SourceVariant.SecureBoot"/> machine), keyed by the script, the variant, the Debian root and
/// <see cref="FormatVersion"/>; tests get copies (<see cref="CopyDisks"/>) so the cache is never written.
/// </summary>
internal sealed class SourceMachine
{
    /// <summary>Bumped when what this class does around the script changes the images.</summary>
    public const int FormatVersion = 1;

    public const long DiskBytes = 3L * 1024 * 1024 * 1024;

    /// <summary>The installed system's host name; its serial console prompts "rk-source login:".</summary>
    public const string HostName = "rk-source";

    /// <summary>root's password on the installed system, for a test that logs in on the serial console.</summary>
    public const string RootPassword = "rescuekit";

    /// <summary>What the installed system needs beyond the rescue build's root: BIOS GRUB and systemd as /sbin/init.</summary>
    public static readonly IReadOnlyList<string> ExtraPackages = ["grub-pc-bin", "systemd-sysv"];

    /// <summary>The lab's modules for the build (the host's kernel; the installed system boots its own).</summary>
    private static readonly string[] LabModules = ["raid1", "dm_mod", "ext4", "xfs", "vfat", "nls_cp437", "nls_iso8859_1", "nls_ascii"];

    private const string CacheRoot = "/var/cache/rescuekit-tests";

    private static readonly Lazy<SourceMachine> PlainInstance =
        new(() => Make(SourceVariant.Plain), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<SourceMachine> SecureBootInstance =
        new(() => Make(SourceVariant.SecureBoot), LazyThreadSafetyMode.ExecutionAndPublication);

    private SourceMachine(string directory, SourceVariant variant) => (Directory, Variant) = (directory, variant);

    /// <summary>The cached plain machine, built first when absent.</summary>
    public static SourceMachine Cached => PlainInstance.Value;

    /// <summary>The cached machine with Debian's Secure Boot chain in \EFI\debian, built first when absent.</summary>
    public static SourceMachine SecureBootCached => SecureBootInstance.Value;

    public SourceVariant Variant { get; }

    /// <summary>The cache directory: disk0.img, disk1.img, markers.txt, layout.txt, build.log.</summary>
    public string Directory { get; }

    /// <summary>The cached images, in the order the machine has them (/dev/vda, /dev/vdb). Never boot these.</summary>
    public IReadOnlyList<string> CachedDisks => [Path.Combine(Directory, "disk0.img"), Path.Combine(Directory, "disk1.img")];

    /// <summary>The marker tree's listing as built: types, modes, owners, sizes, hashes, xattrs.</summary>
    public string MarkersFile => Path.Combine(Directory, "markers.txt");

    /// <summary>The identities (filesystem, array and VG UUIDs), blkid, lvs, both partition tables, fstab.</summary>
    public string LayoutFile => Path.Combine(Directory, "layout.txt");

    /// <summary>A <c>name=value</c> line of <see cref="LayoutFile"/>: root_uuid, home_uuid, swap_uuid, esp_uuid, esp_b_uuid, md_uuid, vg_uuid.</summary>
    public string Identity(string name) =>
        File.ReadLines(LayoutFile).Select(l => l.Split('=', 2)).Single(p => p.Length == 2 && p[0] == name)[1];

    /// <summary>tests/vm/marker-listing.sh: the shell function that lists the marker tree, for a lab script to put first.</summary>
    public static string MarkerListing => File.ReadAllText(Path.Combine(RepoPaths.VmDirectory, "marker-listing.sh"));

    /// <summary>TCG: GRUB, a 6.12 kernel and systemd to the getty take one to three minutes on an idle machine.</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8);

    /// <summary>
    /// Boots <paramref name="disks"/> (the source machine's, or disks restored from them) alone under
    /// <paramref name="firmware"/>, as a machine boots from its own disks, and logs in as root on the serial console.
    /// Under OVMF the variable store starts empty, so the firmware falls back to each ESP's \EFI\BOOT\BOOTX64.EFI,
    /// unless <paramref name="variableStore"/> gives one (its boot entries are then tried first); with
    /// <paramref name="secureBoot"/>, OVMF's secboot build with Microsoft's keys enforces Secure Boot.
    /// </summary>
    public static QemuMachine Boot(string name, IReadOnlyList<string> disks, QemuFirmware firmware, string work,
        DiskBus bus = DiskBus.Virtio, Action<QemuMachineBuilder>? configure = null, bool secureBoot = false, string? variableStore = null)
    {
        var builder = QemuMachine.Create(name).WithMemory(1024);
        if (firmware == QemuFirmware.Ovmf)
        {
            VmLab.RequireOvmf();
            var vars = variableStore;
            if (vars is null)
            {
                vars = Path.Combine(work, $"OVMF_VARS-{name}.fd");
                File.Copy(secureBoot ? QemuMachineBuilder.OvmfSecureBootVarsTemplatePath : QemuMachineBuilder.OvmfVarsTemplatePath, vars, overwrite: true);
            }
            if (secureBoot) builder.WithSecureBoot(vars);
            else builder.WithOvmfVariableStore(vars);
        }
        else if (secureBoot)
        {
            throw new ArgumentException("Secure Boot needs OVMF", nameof(secureBoot));
        }
        for (var i = 0; i < disks.Count; i++)
        {
            if (bus == DiskBus.Nvme) builder.WithNvmeDisk(disks[i], $"rksrc{i}");
            else builder.WithVirtioDisk(disks[i]);
        }
        configure?.Invoke(builder);
        var machine = builder.Build().Start();
        try
        {
            machine.WaitFor("Loading Linux", BootTimeout);
            var kernelAt = machine.Elapsed;
            machine.WaitFor($"{HostName} login:", BootTimeout);
            machine.SendLine("root");
            machine.WaitFor("Password:", TimeSpan.FromSeconds(60));
            machine.SendLine(RootPassword);
            machine.WaitFor(new System.Text.RegularExpressions.Regex($@"root@{HostName}:~# "), TimeSpan.FromMinutes(2));
            TestContext.Progress.WriteLine(
                $"{name} under {firmware}: kernel loaded at {kernelAt.TotalSeconds:F0} s, logged in at {machine.Elapsed.TotalSeconds:F0} s");
            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asserts that the machine <see cref="Boot"/> started came up whole: the RAID1 with <paramref name="mirrors"/> of its
    /// two mirrors, /home (xfs) and /boot/efi mounted, the swap LV on, no failed unit, no emergency mode.
    /// </summary>
    public static void AssertBootedWhole(QemuMachine machine, int mirrors)
    {
        var (state, _) = machine.RunShell("echo MD=$(cat /sys/block/md0/md/array_state) HOME=$(findmnt -n -o FSTYPE /home)",
            TimeSpan.FromMinutes(1));
        Assert.That(state, Does.Match(@"MD=(clean|active) HOME=xfs"), machine.Transcript);
        var transcript = machine.Transcript;
        Assert.That(transcript, Does.Contain($"md/raid1:md0: active with {mirrors} out of 2 mirrors"));
        // systemd colours unit names, so the name follows an escape sequence.
        Assert.That(transcript, Does.Match(@"Mounted \S*home\.mount").And.Match(@"Mounted \S*boot-efi\.mount")
            .And.Match(@"Adding \d+k swap on /dev/mapper/vg0-swap"));
        Assert.That(transcript, Does.Not.Contain("FAILED").And.Not.Contain("emergency mode"));
    }

    /// <summary>Sparse copies of the two disks in <paramref name="directory"/>, for a test to boot and write.</summary>
    public IReadOnlyList<string> CopyDisks(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var copies = new List<string>();
        foreach (var disk in CachedDisks)
        {
            var copy = Path.Combine(directory, Path.GetFileName(disk));
            ExternalTool.RunOk("cp", "coreutils", ["--sparse=always", disk, copy], timeoutSeconds: 600);
            copies.Add(copy);
        }
        return copies;
    }

    private static SourceMachine Make(SourceVariant variant)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("the source machine is built as root (debootstrap, chroot)");
        var rootResult = ExternalTool.Run(Path.Combine(RepoPaths.Root, "tests", "debian-root.sh"), "bash",
            ["--extra", string.Join(',', ExtraPackages), "trixie"], timeoutSeconds: 3600);
        if (rootResult.ExitCode != 0) Assert.Fail($"tests/debian-root.sh --extra exited {rootResult.ExitCode}:\n{rootResult.Stderr}");
        var root = rootResult.Stdout.Trim();

        var scriptPath = Path.Combine(RepoPaths.VmDirectory, "source-machine.sh");
        var variable = variant == SourceVariant.SecureBoot ? "secureboot" : "plain";
        var script = $"VARIANT={variable}\n" + MarkerListing + File.ReadAllText(scriptPath);
        // The root's directory name carries its own key (suite, packages, extras).
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            $"format {FormatVersion}", $"root {Path.GetFileName(root)}", $"disk {DiskBytes}", string.Join(' ', LabModules), script))))[..12];
        var name = variant == SourceVariant.SecureBoot ? $"source-vm-secureboot-{key}" : $"source-vm-{key}";
        var final = Path.Combine(CacheRoot, name);
        if (System.IO.Directory.Exists(final)) return new SourceMachine(final, variant);

        // One build per key at a time, across test processes too; a second process waits and then finds it built.
        System.IO.Directory.CreateDirectory(CacheRoot);
        using var gate = Lock(Path.Combine(CacheRoot, $".{name}.lock"));
        if (System.IO.Directory.Exists(final)) return new SourceMachine(final, variant);
        foreach (var stale in System.IO.Directory.GetDirectories(CacheRoot, $".{name}.tmp.*"))
            System.IO.Directory.Delete(stale, recursive: true);

        var clock = Stopwatch.StartNew();
        TestContext.Progress.WriteLine($"source machine: building {final} from {root} (once; cached)");
        using var lab = new VmLab("source-machine", LabModules);
        lab.AddBlankDisk(DiskBytes);
        lab.AddBlankDisk(DiskBytes);
        var exit = lab.Run($"ROOT={root}\n{script}", TimeSpan.FromMinutes(45));
        var log = lab.ReadResult("output.log");
        if (exit != 0) Assert.Fail($"tests/vm/source-machine.sh exited {exit}:\n{Tail(log)}");

        var temporary = Path.Combine(CacheRoot, $".{name}.tmp.{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(temporary);
        for (var i = 0; i < lab.Disks.Count; i++) File.Move(lab.Disks[i], Path.Combine(temporary, $"disk{i}.img"));
        foreach (var result in new[] { "markers.txt", "layout.txt" })
            File.Copy(Path.Combine(lab.ResultsDirectory, result), Path.Combine(temporary, result));
        File.WriteAllText(Path.Combine(temporary, "build.log"), log);
        File.WriteAllText(Path.Combine(temporary, "key.txt"),
            $"format {FormatVersion}\nvariant {variable}\nroot {root}\nscript {scriptPath}\nbuilt in {clock.Elapsed.TotalSeconds:F0} s\n");
        System.IO.Directory.Move(temporary, final);
        TestContext.Progress.WriteLine($"source machine: built in {clock.Elapsed.TotalSeconds:F0} s");
        return new SourceMachine(final, variant);
    }

    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddHours(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
            }
        }
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(60));
}
