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
}
