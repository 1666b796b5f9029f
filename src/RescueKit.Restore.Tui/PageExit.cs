namespace RescueKit.Restore.Tui;

/// <summary>How a page of the review was left.</summary>
public enum PageExit { Next, Back, Leave }
