namespace RescueKit.Discovery;

/// <summary>How a kernel module file is compressed, as kmod tells it: by the suffix after ".ko".</summary>
public enum ModuleCompression { None, Gzip, Xz, Zstd }
