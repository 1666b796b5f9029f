using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

public sealed class QemuMachineBuilderTests
{
    private string _file = "";

    [SetUp]
    public void MakeFile()
    {
        _file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "builder-test.img");
        File.WriteAllBytes(_file, new byte[512]);
    }

    [Test]
    public void TheBaseCommandLineIsTcgHeadlessWithTheSerialOnStdio()
    {
        var args = string.Join(' ', QemuMachine.Create("t").WithCdrom(_file).Arguments());

        Assert.That(args, Does.StartWith("-accel tcg -machine pc -m 1024 -display none -no-reboot -nodefaults -vga none "
                                         + "-serial stdio -monitor none"));
        Assert.That(args, Does.EndWith($"-drive file={_file},format=raw,if=ide,index=2,media=cdrom,readonly=on -boot d"));
    }

    [Test]
    public void OvmfKernelAndVirtioDisksAppearInOrder()
    {
        var args = QemuMachine.Create("t").WithFirmware(QemuFirmware.Ovmf).WithMemory(512)
            .WithKernel(_file, _file, "console=ttyS0").WithVirtioDisk(_file).WithVirtioDisk(_file).Arguments();

        Assert.That(args, Is.SupersetOf(new[] { "-bios", QemuMachineBuilder.OvmfPath, "-kernel", "-initrd", "console=ttyS0", "512" }));
        Assert.That(args.Count(a => a == $"file={_file},format=raw,if=virtio"), Is.EqualTo(2));
        Assert.That(args, Does.Not.Contain("-boot"), "-kernel and OVMF choose the boot device themselves");
    }

    [Test]
    public void OvmfWithAVariableStore_MapsTheCodeReadOnlyAndTheStoreWritable_AndBootsTheDisksWithoutAKernel()
    {
        var args = QemuMachine.Create("t").WithOvmfVariableStore(_file).WithVirtioDisk(_file).Arguments().ToList();

        var code = args.IndexOf($"if=pflash,format=raw,unit=0,readonly=on,file={QemuMachineBuilder.OvmfCodePath}");
        Assert.That(code, Is.GreaterThan(0));
        Assert.That(args.Skip(code - 1).Take(4), Is.EqualTo(new[] { "-drive", args[code], "-drive", $"if=pflash,format=raw,unit=1,file={_file}" }));
        Assert.That(args, Does.Not.Contain("-bios").And.Not.Contain("-kernel").And.Not.Contain("-boot"));
        Assert.That(() => QemuMachine.Create("empty").WithOvmfVariableStore(_file).Build(),
            Throws.InvalidOperationException.With.Message.Contains("nothing to boot"), "NVRAM entries need a disk to point at");
    }

    [Test]
    public void NvmeDisksAreDrivesWithoutAnInterfaceEachOnItsOwnController()
    {
        var args = QemuMachine.Create("t").WithKernel(_file, _file, "console=ttyS0")
            .WithVirtioDisk(_file).WithNvmeDisk(_file, "sn-a").WithNvmeDisk(_file, "sn-b").Arguments().ToList();

        var first = args.IndexOf($"if=none,id=nvme0,file={_file},format=raw");
        var second = args.IndexOf($"if=none,id=nvme1,file={_file},format=raw");
        Assert.That(first, Is.GreaterThan(args.IndexOf($"file={_file},format=raw,if=virtio")), "virtio disks come first");
        Assert.That(args[first - 1], Is.EqualTo("-drive"));
        Assert.That(args.Skip(first + 1).Take(2), Is.EqualTo(new[] { "-device", "nvme,drive=nvme0,serial=sn-a" }));
        Assert.That(second, Is.GreaterThan(first));
        Assert.That(args.Skip(second + 1).Take(2), Is.EqualTo(new[] { "-device", "nvme,drive=nvme1,serial=sn-b" }));
    }

    [Test]
    public void AGuestForwardIsACommandPerConnectionOnTheRestrictedNetwork()
    {
        var args = QemuMachine.Create("t").WithKernel(_file, _file, "console=ttyS0")
            .WithUserNetwork(guestForwards: [new GuestForward("10.0.2.100", 2049, "nc 127.0.0.1 20490,x")]).Arguments().ToList();

        var netdev = args[args.IndexOf("-netdev") + 1];
        Assert.That(netdev, Is.EqualTo("user,id=net0,restrict=on,guestfwd=tcp:10.0.2.100:2049-cmd:nc 127.0.0.1 20490,,x"),
            "a ',' in the command is doubled, as QEMU's option syntax escapes it");
        Assert.That(args[args.IndexOf("-device", args.IndexOf("-netdev")) + 1], Is.EqualTo("virtio-net-pci,netdev=net0"));
    }

    [Test]
    public void AnNvmeSerialMustBeAPlainOptionValue()
    {
        var builder = QemuMachine.Create("t");

        Assert.That(() => builder.WithNvmeDisk(_file, ""), Throws.ArgumentException);
        Assert.That(() => builder.WithNvmeDisk(_file, "a,b"), Throws.ArgumentException.With.Message.Contains("','"));
    }

    [Test]
    public void VirtioDisksAloneBootFromTheFirstHardDiskUnderSeaBios()
    {
        var args = QemuMachine.Create("disks").WithVirtioDisk(_file).WithVirtioDisk(_file).Arguments().ToList();

        Assert.That(args.Skip(args.IndexOf("-boot")).Take(2), Is.EqualTo(new[] { "-boot", "c" }));
        Assert.That(args, Does.Not.Contain("-kernel"));
    }

    [Test]
    public void AMachineWithNothingToBootIsRefused()
    {
        var builder = QemuMachine.Create("empty").WithMemory(256);

        Assert.That(() => builder.Build(), Throws.InvalidOperationException.With.Message.Contains("nothing to boot"));
    }

    [Test]
    public void AMissingImageIsRefusedBeforeQemuStarts()
    {
        Assert.That(() => QemuMachine.Create("t").WithCdrom("/nonexistent/x.iso"),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains("isoPath"));
        Assert.That(() => QemuMachine.Create("t").WithMemory(16), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void SecureBoot_IsQ35WithSmm_SecureFlash_AndTheSecbootCode()
    {
        var args = QemuMachine.Create("sb").WithSecureBoot(_file).WithCdrom(_file).Arguments().ToList();

        Assert.That(args[args.IndexOf("-machine") + 1], Is.EqualTo("q35,smm=on"));
        Assert.That(string.Join(' ', args), Does.Contain("-global driver=cfi.pflash01,property=secure,value=on")
            .And.Contain($"file={QemuMachineBuilder.OvmfSecureBootCodePath}").And.Contain($"unit=1,file={Path.GetFullPath(_file)}"));
        Assert.That(args, Does.Not.Contain("-bios"));
    }
}
