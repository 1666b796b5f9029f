using NUnit.Framework;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>The firmware QEMU starts: SeaBIOS (QEMU's default BIOS) or OVMF (UEFI, Debian package ovmf).</summary>
public enum QemuFirmware
{
    SeaBios,
    Ovmf,
}

/// <summary>A guest TCP address QEMU's user network hands to a host command (see <see cref="QemuMachineBuilder.WithUserNetwork"/>).</summary>
public sealed record GuestForward(string GuestAddress, int GuestPort, string Command);

/// <summary>
/// Describes one x86-64 QEMU machine for a boot test (formats.md §15): TCG only (KVM hangs here), no display,
/// no default devices, the first serial port on QEMU's stdio in both directions and no monitor unless asked for.
/// </summary>
public sealed class QemuMachineBuilder
{
    public const string OvmfPath = "/usr/share/ovmf/OVMF.fd";

    /// <summary>OVMF split into its code (mapped read-only) and the variable store template it pairs with.</summary>
    public const string OvmfCodePath = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVarsTemplatePath = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    /// <summary>
    /// OVMF built with Secure Boot and SMM (it stops when QEMU lacks SMM), and Debian's variable store template that
    /// has Microsoft's KEK and db certificates enrolled and Secure Boot enforcing (Debian's ovmf README).
    /// </summary>
    public const string OvmfSecureBootCodePath = "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd";
    public const string OvmfSecureBootVarsTemplatePath = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd";

    private readonly string _name;
    private readonly List<string> _virtioDisks = [];
    private readonly List<(string Image, string Serial)> _nvmeDisks = [];
    private readonly List<string> _extra = [];
    private QemuFirmware _firmware = QemuFirmware.SeaBios;
    private string? _ovmfVariables;
    private bool _secureBoot;
    private string? _cdrom;
    private string? _secondCdrom;
    private string? _monitorSocket;
    private string? _bootDisk;
    private string? _usbDisk;
    private (string Kernel, string Initrd, string Append)? _kernel;
    private (string TftpRoot, string BootFile, string Mac, bool Restrict)? _pxe;
    private (string Tap, string Mac)? _tap;
    private string? _networkNamespace;
    private int _memoryMiB = 1024;
    private bool _vga;
    private string? _transcriptFile;

    internal QemuMachineBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
    }

    public QemuMachineBuilder WithFirmware(QemuFirmware firmware)
    {
        _firmware = firmware;
        return this;
    }

    /// <summary>
    /// OVMF with writable NVRAM: the code read-only and <paramref name="variableStore"/> (a copy of
    /// <see cref="OvmfVarsTemplatePath"/>) as the second flash, so boot entries the guest writes persist in that file.
    /// Without it, OVMF.fd is loaded as a ROM and keeps its variables in memory only.
    /// </summary>
    public QemuMachineBuilder WithOvmfVariableStore(string variableStore)
    {
        _firmware = QemuFirmware.Ovmf;
        _ovmfVariables = RequireFile(variableStore, nameof(variableStore));
        return this;
    }

    /// <summary>
    /// OVMF with Secure Boot enforcing: <paramref name="variableStore"/> is a copy of
    /// <see cref="OvmfSecureBootVarsTemplatePath"/>. The machine becomes a q35 with SMM, and the flash is writable only
    /// from SMM (cfi.pflash01 secure=on), as the secboot build requires so the guest OS cannot rewrite the keys.
    /// </summary>
    public QemuMachineBuilder WithSecureBoot(string variableStore)
    {
        _firmware = QemuFirmware.Ovmf;
        _secureBoot = true;
        _ovmfVariables = RequireFile(variableStore, nameof(variableStore));
        return this;
    }

    /// <summary>An ISO image in the IDE CD-ROM drive (ata_piix + sr_mod in the guest), booted from when no kernel is given.</summary>
    public QemuMachineBuilder WithCdrom(string isoPath)
    {
        _cdrom = RequireFile(isoPath, nameof(isoPath));
        return this;
    }

    /// <summary>An ISO image in a second IDE CD-ROM drive (the guest's /dev/sr1 beside the first's /dev/sr0).</summary>
    public QemuMachineBuilder WithSecondCdrom(string isoPath)
    {
        _secondCdrom = RequireFile(isoPath, nameof(isoPath));
        return this;
    }

    /// <summary>
    /// QEMU's human monitor on a Unix socket, for <see cref="QemuMachine.MonitorCommand"/>: changing the disc in a drive
    /// (<c>change ide1-cd0 FILE</c>) as a person at the machine would.
    /// </summary>
    public QemuMachineBuilder WithMonitor()
    {
        _monitorSocket = Path.Combine(Path.GetTempPath(), $"rk-monitor-{Environment.ProcessId}-{Sanitize(_name)}.sock");
        return this;
    }

    /// <summary>A raw image as the first IDE hard disk (a USB stick stand-in), booted from when no kernel or CD is given.</summary>
    public QemuMachineBuilder WithBootDisk(string rawImagePath)
    {
        _bootDisk = RequireFile(rawImagePath, nameof(rawImagePath));
        return this;
    }

    /// <summary>A raw image as a USB stick on an xHCI controller (usb-storage), booted from first (bootindex 0).</summary>
    public QemuMachineBuilder WithUsbDisk(string rawImagePath)
    {
        _usbDisk = RequireFile(rawImagePath, nameof(rawImagePath));
        return this;
    }

    /// <summary>Direct kernel boot: <c>-kernel -initrd -append</c>.</summary>
    public QemuMachineBuilder WithKernel(string kernelPath, string initrdPath, string append)
    {
        _kernel = (RequireFile(kernelPath, nameof(kernelPath)), RequireFile(initrdPath, nameof(initrdPath)), append);
        return this;
    }

    /// <summary>Adds a raw image as the next virtio disk (/dev/vda, /dev/vdb, ...).</summary>
    public QemuMachineBuilder WithVirtioDisk(string rawImagePath)
    {
        _virtioDisks.Add(RequireFile(rawImagePath, nameof(rawImagePath)));
        return this;
    }

    /// <summary>
    /// Adds a raw image as the next NVMe controller with one namespace (/dev/nvme0n1, /dev/nvme1n1, ...; the guest
    /// needs the nvme module). QEMU refuses an NVMe controller without a serial number.
    /// </summary>
    public QemuMachineBuilder WithNvmeDisk(string rawImagePath, string serial)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serial);
        if (serial.Contains(',', StringComparison.Ordinal))
            throw new ArgumentException("a QEMU option value cannot contain ','", nameof(serial));
        _nvmeDisks.Add((RequireFile(rawImagePath, nameof(rawImagePath)), serial));
        return this;
    }

    public QemuMachineBuilder WithMemory(int mebibytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mebibytes, 64, nameof(mebibytes));
        _memoryMiB = mebibytes;
        return this;
    }

    /// <summary>Adds a standard VGA card; off by default because every boot path here also talks on the serial port.</summary>
    public QemuMachineBuilder WithVga()
    {
        _vga = true;
        return this;
    }

    /// <summary>
    /// A virtio NIC on QEMU's user-mode network: DHCP gives the guest 10.0.2.15. With <paramref name="restrict"/>
    /// (the default) the guest reaches nothing outside QEMU, and QEMU's DHCP then offers no router and no DNS
    /// server; without it the lease also names gateway 10.0.2.2 and DNS 10.0.2.3.
    /// </summary>
    /// <param name="guestForwards">
    /// guestfwd rules: a guest TCP connection to <c>GuestAddress:GuestPort</c> runs <c>Command</c> on the host with the
    /// connection as its stdin and stdout, one process per connection (QEMU's <c>guestfwd=tcp:A:P-cmd:C</c>). QEMU
    /// applies these even under restrict=on, so a guest can reach exactly one host service on the loopback and nothing else.
    /// </param>
    public QemuMachineBuilder WithUserNetwork(bool restrict = true, IEnumerable<GuestForward>? guestForwards = null)
    {
        var netdev = $"user,id=net0,restrict={(restrict ? "on" : "off")}";
        foreach (var f in guestForwards ?? [])
            netdev += $",guestfwd=tcp:{f.GuestAddress}:{f.GuestPort}-cmd:{f.Command.Replace(",", ",,", StringComparison.Ordinal)}";
        _extra.AddRange(["-netdev", netdev, "-device", "virtio-net-pci,netdev=net0"]);
        return this;
    }

    /// <summary>
    /// A PXE boot through QEMU's user network (reference pxe-initramfs.md B.6): its DHCP names <paramref name="bootFile"/>
    /// and its built-in TFTP server (10.0.2.2) serves <paramref name="tftpRoot"/>; restrict=on, so the guest reaches nothing
    /// else. The virtio NIC has <paramref name="mac"/>. Under SeaBIOS the NIC's iPXE ROM does the PXE boot; under OVMF the
    /// ROM is left out (romfile=), so OVMF's own PXE does it, as on UEFI hardware (with iPXE's EFI ROM, GRUB stalled:
    /// reference B.4).
    /// </summary>
    /// <param name="restrict">
    /// false: the guest also reaches the host's loopback at 10.0.2.2 (an HTTP server a boot file URL names, for iPXE;
    /// QEMU refuses a guestfwd rule on that address). Only in a <see cref="InNetworkNamespace"/> of the test's own, whose
    /// loopback holds nothing but the test's server and which has no other network.
    /// </param>
    public QemuMachineBuilder WithPxeBoot(string tftpRoot, string bootFile, string mac, bool restrict = true)
    {
        if (!Directory.Exists(tftpRoot)) throw new DirectoryNotFoundException($"no TFTP root {tftpRoot}");
        foreach (var value in new[] { tftpRoot, bootFile, mac })
            if (value.Contains(',', StringComparison.Ordinal)) throw new ArgumentException($"a QEMU option value cannot contain ',': {value}");
        _pxe = (Path.GetFullPath(tftpRoot), bootFile, mac, restrict);
        return this;
    }

    /// <summary>
    /// A network boot from a real LAN: the virtio NIC (<paramref name="mac"/>) on the existing tap device
    /// <paramref name="tap"/> (script=no: the test has put it on a bridge), booted from as <see cref="WithPxeBoot"/> does
    /// (SeaBIOS: the NIC's iPXE ROM; OVMF: its own PXE). The tap lives in a network namespace: give it with
    /// <see cref="InNetworkNamespace"/>.
    /// </summary>
    public QemuMachineBuilder WithTapPxeBoot(string tap, string mac)
    {
        foreach (var value in new[] { tap, mac })
            if (value.Contains(',', StringComparison.Ordinal)) throw new ArgumentException($"a QEMU option value cannot contain ',': {value}");
        _tap = (tap, mac);
        return this;
    }

    /// <summary>Runs QEMU inside the network namespace <paramref name="name"/> (`ip netns exec`, which execs QEMU, so the
    /// process is still QEMU's and its serial port is still on stdio).</summary>
    public QemuMachineBuilder InNetworkNamespace(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _networkNamespace = name;
        return this;
    }

    /// <summary>Raw QEMU arguments appended last (a -netdev/-device pair, -virtfs, ...).</summary>
    public QemuMachineBuilder WithArguments(params string[] arguments)
    {
        _extra.AddRange(arguments);
        return this;
    }

    /// <summary>Where the serial transcript is written; default: the test's work directory, serial/&lt;test&gt;-&lt;name&gt;.log.</summary>
    public QemuMachineBuilder WithTranscriptFile(string path)
    {
        _transcriptFile = path;
        return this;
    }

    /// <summary>The QEMU command line (without the program name).</summary>
    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string>
        {
            "-accel", "tcg", "-machine", _secureBoot ? "q35,smm=on" : "pc", "-m", _memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-display", "none", "-no-reboot", "-nodefaults", "-vga", _vga ? "std" : "none",
            "-serial", "stdio", "-monitor", _monitorSocket is null ? "none" : $"unix:{_monitorSocket},server=on,wait=off",
        };
        if (_secureBoot)
            args.AddRange(["-global", "driver=cfi.pflash01,property=secure,value=on",
                           "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfSecureBootCodePath}",
                           "-drive", $"if=pflash,format=raw,unit=1,file={_ovmfVariables}"]);
        else if (_firmware == QemuFirmware.Ovmf && _ovmfVariables is not null)
            args.AddRange(["-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCodePath}",
                           "-drive", $"if=pflash,format=raw,unit=1,file={_ovmfVariables}"]);
        else if (_firmware == QemuFirmware.Ovmf) args.AddRange(["-bios", OvmfPath]);
        if (_kernel is { } k) args.AddRange(["-kernel", k.Kernel, "-initrd", k.Initrd, "-append", k.Append]);
        if (_bootDisk is not null) args.AddRange(["-drive", $"file={_bootDisk},format=raw,if=ide,index=0"]);
        if (_cdrom is not null) args.AddRange(["-drive", $"file={_cdrom},format=raw,if=ide,index=2,media=cdrom,readonly=on"]);
        if (_secondCdrom is not null) args.AddRange(["-drive", $"file={_secondCdrom},format=raw,if=ide,index=3,media=cdrom,readonly=on"]);
        if (_usbDisk is not null)
            args.AddRange(["-device", "qemu-xhci,id=xhci", "-drive", $"if=none,id=usbstick,format=raw,file={_usbDisk}",
                           "-device", "usb-storage,bus=xhci.0,drive=usbstick,bootindex=0"]);
        foreach (var disk in _virtioDisks) args.AddRange(["-drive", $"file={disk},format=raw,if=virtio"]);
        for (var i = 0; i < _nvmeDisks.Count; i++)
            args.AddRange(["-drive", $"if=none,id=nvme{i},file={_nvmeDisks[i].Image},format=raw",
                           "-device", $"nvme,drive=nvme{i},serial={_nvmeDisks[i].Serial}"]);
        var networkBoot = _pxe is not null || _tap is not null;
        if (_kernel is null && _firmware == QemuFirmware.SeaBios)
            args.AddRange(["-boot", _cdrom is not null ? "d" : networkBoot && _bootDisk is null ? "n" : "c"]);
        if (_pxe is { } pxe)
            args.AddRange(["-netdev", $"user,id=pxe0,restrict={(pxe.Restrict ? "on" : "off")},tftp={pxe.TftpRoot},bootfile={pxe.BootFile}",
                           "-device", PxeNic(pxe.Mac)]);
        if (_tap is { } tap)
            args.AddRange(["-netdev", $"tap,id=pxe0,ifname={tap.Tap},script=no,downscript=no", "-device", PxeNic(tap.Mac)]);
        args.AddRange(_extra);
        return args;
    }

    // Under OVMF the NIC's iPXE ROM is left out (romfile=), so the firmware's own PXE boots, as on UEFI hardware.
    private string PxeNic(string mac) =>
        $"virtio-net-pci,netdev=pxe0,mac={mac}{(_firmware == QemuFirmware.Ovmf ? ",romfile=" : "")}";

    public QemuMachine Build()
    {
        // Without a kernel, CD or IDE boot disk the firmware boots the virtio or NVMe disks: SeaBIOS the first with a
        // boot sector, OVMF what its NVRAM names or else each disk's removable-media loader.
        var diskBoot = _virtioDisks.Count + _nvmeDisks.Count > 0;
        if (_kernel is null && _cdrom is null && _bootDisk is null && _usbDisk is null && !diskBoot && _pxe is null && _tap is null)
            throw new InvalidOperationException($"machine '{_name}' has nothing to boot: give a kernel, a CD-ROM, a boot disk, a USB disk or a PXE boot");
        if (_firmware == QemuFirmware.Ovmf) VmLab.RequireOvmf();
        var transcript = _transcriptFile ?? Path.Combine(TestContext.CurrentContext.WorkDirectory, "serial",
            $"{Sanitize(TestContext.CurrentContext.Test.Name)}-{Sanitize(_name)}.log");
        var qemu = VmLab.RequireQemu();
        if (_networkNamespace is null) return new QemuMachine(_name, qemu, Arguments(), transcript, _monitorSocket);
        return new QemuMachine(_name, RescueKit.Tests.Shared.ExternalTool.Require("ip", "iproute2"),
            ["netns", "exec", _networkNamespace, qemu, .. Arguments()], transcript, _monitorSocket);
    }

    private static string RequireFile(string path, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, paramName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{paramName}: no such file", path);
        return Path.GetFullPath(path);
    }

    private static string Sanitize(string s) =>
        string.Concat(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
