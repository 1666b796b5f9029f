using System.Runtime.CompilerServices;

// The media tests drive the build steps' parts (the rootfs manifest, the initramfs writer, the boot files) directly.
[assembly: InternalsVisibleTo("RescueKit.Media.Tests")]
