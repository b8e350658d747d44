/** Where CLI commands write: injectable so tests run commands in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is an interactive terminal (progress lines redraw in place). */
  readonly stderrIsTTY: boolean;
}
