using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>How a lab disk is attached: virtio-blk (/dev/vda, ...) or an NVMe controller (/dev/nvme0n1, ...).</summary>
public enum DiskBus
{
    Virtio,
    Nvme,
}

/// <summary>
/// The VM lab (DESIGN §7 tier 4): Debian's full kernel with a small busybox initramfs (tests/vm/lab-init.sh),
/// blank virtio disks, a guest script passed in and results passed out through a 9p share, and the host's root
/// shared read-only so the guest can run the host's sfdisk, mdadm, lvm and mkfs through <c>hostrun</c>.
/// </summary>
public sealed class VmLab : IDisposable
{
    public static string KernelVersion => RescueKit.Tests.Shared.InstalledKernel.Version;
    public static string KernelPath => RescueKit.Tests.Shared.InstalledKernel.ImagePath;

    /// <summary>The modules every lab initramfs carries: virtio disks and the 9p share.</summary>
    public static readonly IReadOnlyList<string> BaseModules = ["virtio_pci", "virtio_blk", "9p", "9pnet_virtio"];

    /// <summary>The guest's address on the lab network, when it has one (<see cref="ForwardToHost"/>).</summary>
    public const string GuestAddress = "10.0.2.15";

    /// <summary>The address inside the guest at which <see cref="ForwardToHost"/> offers the host's services.</summary>
    public const string HostServiceAddress = "10.0.2.100";

    private readonly List<GuestForward> _forwards = [];
    private readonly List<string> _disks = [];
    private readonly List<DiskBus> _buses = [];
    private readonly IReadOnlyList<string> _modules;

    /// <param name="name">Names the work directory and the serial transcript.</param>
    /// <param name="extraModules">Modules loaded (with their dependencies) before the script runs, e.g. raid1, dm_mod.</param>
    public VmLab(string name, IEnumerable<string>? extraModules = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _modules = [.. BaseModules, .. extraModules ?? []];
        WorkDirectory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "vmlab",
            $"{TestContext.CurrentContext.Test.Name}-{name}".Replace('/', '_'));
        if (Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
        Directory.CreateDirectory(ShareDirectory);
    }

    public string Name { get; }

    /// <summary>
    /// SeaBIOS (the default) or OVMF with this lab's own writable copy of the NVRAM variable store
    /// (<see cref="OvmfVariableStore"/>): the guest's efibootmgr writes real boot entries, kept across runs of the lab.
    /// </summary>
    public QemuFirmware Firmware { get; init; } = QemuFirmware.SeaBios;

    /// <summary>The lab's OVMF variable store, copied from the ovmf package's template at the first OVMF run.</summary>
    public string OvmfVariableStore => Path.Combine(WorkDirectory, "OVMF_VARS.fd");

    public string WorkDirectory { get; }

    /// <summary>Shared with the guest as /lab; the script is /lab/script.sh.</summary>
    public string ShareDirectory => Path.Combine(WorkDirectory, "share");

    /// <summary>What the guest wrote to $RESULTS (/lab/results).</summary>
    public string ResultsDirectory => Path.Combine(ShareDirectory, "results");

    /// <summary>
    /// The blank disks in the order they were added; the guest names each bus's disks in that order
    /// (/dev/vda, /dev/vdb, ... and /dev/nvme0n1, /dev/nvme1n1, ...).
    /// </summary>
    public IReadOnlyList<string> Disks => _disks;

    /// <summary>The machine of the last <see cref="Run"/> (its transcript stays readable after the run).</summary>
    public QemuMachine? Machine { get; private set; }

    /// <summary>The path of qemu-system-x86_64; fails the test naming the package when it is not installed.</summary>
    public static string RequireQemu() => ExternalTool.Require("qemu-system-x86_64", "qemu-system-x86");

    /// <summary>Fails the test naming the package when the OVMF firmware is not installed.</summary>
    public static void RequireOvmf()
    {
        foreach (var file in new[]
                 {
                     QemuMachineBuilder.OvmfPath, QemuMachineBuilder.OvmfCodePath, QemuMachineBuilder.OvmfVarsTemplatePath,
                     QemuMachineBuilder.OvmfSecureBootCodePath, QemuMachineBuilder.OvmfSecureBootVarsTemplatePath,
                 })
            if (!File.Exists(file)) Assert.Fail($"{file} not found: apt-get install ovmf");
    }

    /// <summary>Fails the test when the test kernel or busybox-static is missing.</summary>
    public static void RequireKernel()
    {
        if (!File.Exists(KernelPath) || !Directory.Exists($"/lib/modules/{KernelVersion}"))
            Assert.Fail($"{KernelPath} or /lib/modules/{KernelVersion} not found: apt-get install linux-image-{KernelVersion}");
        ExternalTool.Require(InitramfsStaging.Busybox, "busybox-static");
    }

    /// <summary>
    /// Adds a sparse blank raw disk of <paramref name="bytes"/> on <paramref name="bus"/> and returns its host path.
    /// NVMe disks bring the nvme module into the lab's initramfs.
    /// </summary>
    public string AddBlankDisk(long bytes, DiskBus bus = DiskBus.Virtio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1024 * 1024, nameof(bytes));
        var path = Path.Combine(WorkDirectory, $"disk{_disks.Count}.img");
        using (var f = new FileStream(path, FileMode.CreateNew)) f.SetLength(bytes);
        _disks.Add(path);
        _buses.Add(bus);
        return path;
    }

    /// <summary>Attaches an existing raw disk image as the next disk on <paramref name="bus"/> (the lab writes it in place).</summary>
    public void AttachDisk(string path, DiskBus bus = DiskBus.Virtio)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("no such disk image", path);
        _disks.Add(Path.GetFullPath(path));
        _buses.Add(bus);
    }

    /// <summary>
    /// Gives the guest a NIC on QEMU's user network with restrict=on, where a connection to
    /// <see cref="HostServiceAddress"/>:<paramref name="guestPort"/> reaches the host's 127.0.0.1:<paramref name="hostPort"/>
    /// (through busybox nc, one per connection) and nothing else is reachable: not the host's other ports, not any
    /// other address. The lab initramfs then carries virtio_net and the guest has <see cref="GuestAddress"/>/24.
    /// </summary>
    public void ForwardToHost(int guestPort, int hostPort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hostPort, 1);
        ForwardToCommand(guestPort, $"{InitramfsStaging.Busybox} nc 127.0.0.1 {hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// As <see cref="ForwardToHost"/>, but each connection to <see cref="HostServiceAddress"/>:<paramref name="guestPort"/>
    /// runs <paramref name="command"/> on the host with the connection as its stdin and stdout (a server that accepts
    /// and never answers, for instance).
    /// </summary>
    public void ForwardToCommand(int guestPort, string command)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(guestPort, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        _forwards.Add(new GuestForward(HostServiceAddress, guestPort, command));
    }

    /// <summary>
    /// Boots the lab, runs <paramref name="guestScript"/> (busybox sh, cwd and $RESULTS = /lab/results) and
    /// waits for the guest to power off. Returns the script's exit code; its output is in results/output.log.
    /// </summary>
    /// <param name="fromNvram">
    /// OVMF only: no direct kernel boot; the firmware boots what the lab's NVRAM says (BootNext, BootOrder), so an
    /// earlier run must have put the kernel (an EFI stub loader), the lab initramfs and the lab's command line on an
    /// ESP with a Boot#### entry for them.
    /// </param>
    public int Run(string guestScript, TimeSpan timeout, bool fromNvram = false)
    {
        RequireKernel();
        // lab-init.sh mounts tmpfs over the shared host root's /tmp and /run (the guest needs them writable): a
        // checkout there, and the rescuekit published in it, would not exist for hostrun.
        var root = RepoPaths.Root.TrimEnd('/') + "/";
        if (new[] { "/tmp/", "/run/" }.FirstOrDefault(d => root.StartsWith(d, StringComparison.Ordinal)) is { } hidden)
            throw new InvalidOperationException(
                $"the checkout {RepoPaths.Root} is under {hidden}, which the VM lab's guest sees as an empty tmpfs: run the tests from a checkout elsewhere");
        if (fromNvram && (Firmware != QemuFirmware.Ovmf || !File.Exists(OvmfVariableStore)))
            throw new InvalidOperationException($"{Name}: booting from NVRAM needs OVMF and an earlier run of this lab that wrote the boot entry");
        File.WriteAllText(Path.Combine(ShareDirectory, "script.sh"), guestScript.ReplaceLineEndings("\n"));
        if (Directory.Exists(ResultsDirectory)) Directory.Delete(ResultsDirectory, recursive: true);
        var network = _forwards.Count > 0 ? $" lab.ip={GuestAddress}/24" : "";
        var builder = QemuMachine.Create(Name);
        if (!fromNvram) builder.WithKernel(KernelPath, InitramfsImage, $"console=ttyS0,115200 panic=-1 lab.disks={_disks.Count}{network}");
        builder.WithArguments(
            "-virtfs", $"local,path={ShareDirectory},mount_tag=lab,security_model=none,id=lab",
            "-virtfs", "local,path=/,mount_tag=host,security_model=none,readonly=on,id=host");
        if (Firmware == QemuFirmware.Ovmf)
        {
            RequireOvmf();
            if (!File.Exists(OvmfVariableStore)) File.Copy(QemuMachineBuilder.OvmfVarsTemplatePath, OvmfVariableStore);
            builder.WithOvmfVariableStore(OvmfVariableStore);
        }
        for (var i = 0; i < _disks.Count; i++)
        {
            if (_buses[i] == DiskBus.Nvme) builder.WithNvmeDisk(_disks[i], $"rklab{i}");
            else builder.WithVirtioDisk(_disks[i]);
        }
        if (_forwards.Count > 0) builder.WithUserNetwork(restrict: true, _forwards);
        Machine?.Dispose();
        Machine = builder.Build().Start();
        var done = Machine.WaitFor(new Regex(@"LAB-DONE exit=(\d+)|LAB-FAILED: .*"), timeout);
        if (!done.Groups[1].Success) throw new InvalidOperationException($"{Name}: {done.Value}\n{Machine.Transcript}");
        Machine.WaitForExit(TimeSpan.FromSeconds(30));
        return int.Parse(File.ReadAllText(Path.Combine(ResultsDirectory, "exit-code")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The lab's initramfs image on the host (the guest sees the same path through hostrun).</summary>
    public string InitramfsImage
    {
        get
        {
            var modules = _modules.ToList();
            if (_buses.Contains(DiskBus.Nvme) && !modules.Contains("nvme")) modules.Add("nvme");
            if (_forwards.Count > 0 && !modules.Contains("virtio_net")) modules.Add("virtio_net");
            return Initramfs(modules);
        }
    }

    /// <summary>A text file the guest wrote to $RESULTS.</summary>
    public string ReadResult(string name) => File.ReadAllText(Path.Combine(ResultsDirectory, name));

    public void Dispose()
    {
        Machine?.Dispose();
        // Keep the disks and results of a failed test for inspection.
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Passed
            && Directory.Exists(WorkDirectory))
            Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>The lab initramfs for these modules, built once and cached in tests/vm/cache/.</summary>
    public static string Initramfs(IReadOnlyList<string> modules)
    {
        var init = File.ReadAllText(Path.Combine(RepoPaths.VmDirectory, "lab-init.sh"));
        var hostrun = File.ReadAllText(Path.Combine(RepoPaths.VmDirectory, "hostrun.sh"));
        var busybox = new FileInfo(InitramfsStaging.Busybox);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            KernelVersion, string.Join(' ', modules), init, hostrun, busybox.Length, busybox.LastWriteTimeUtc.Ticks))))[..16];
        var cached = Path.Combine(RepoPaths.VmCache, $"lab-{key}.cpio.gz");
        if (File.Exists(cached)) return cached;

        Directory.CreateDirectory(RepoPaths.VmCache);
        var staging = new InitramfsStaging(Path.Combine(RepoPaths.VmCache, $"staging-{key}-{Environment.ProcessId}"));
        try
        {
            staging.AddBusybox();
            var order = staging.AddModules(KernelVersion, modules);
            staging.AddText("etc/lab/modules.load", string.Join('\n', order) + "\n");
            staging.AddText("init", init, executable: true);
            staging.AddText("bin/hostrun", hostrun, executable: true);
            var temporary = cached + $".{Environment.ProcessId}.tmp";
            staging.Pack(temporary);
            File.Move(temporary, cached, overwrite: true);
        }
        finally
        {
            Directory.Delete(staging.Root, recursive: true);
        }
        return cached;
    }
}
