namespace RescueKit.Restore.Tui;

/// <summary>What the person chose on the start page.</summary>
public enum StartChoice { Review, Nuke, Files, Compare, Shell, OtherBackup, Leave }
