// Boot tests drive QEMU, busybox and kmod on a Linux host only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
