//! The `backtrack` command line: parse arguments, call the library, print
//! what happened, and choose the exit code (0 built, 1 the content or the
//! disk is wrong, 2 backtrack was called wrong). Only this file ends the process.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use backtrack::init;
use backtrack::pipeline::{self, BuildError, Options};
use backtrack::serve::{self, ServeOptions};
use clap::{Args, Parser, Subcommand};

/// mimalloc: a build allocates many short strings on every core, where it
/// beats the system allocator clearly (bench/README.md has the figures).
/// Its v2 line (Cargo.toml) keeps peak memory lower than v3. It asks for
/// transparent huge pages: memory the process touches first costs a page
/// fault per 2 MiB instead of per 4 KiB, which on a virtual machine is most
/// of the cost of fresh memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns annotated news stories into explainer pages.
#[derive(Parser)]
#[command(name = "backtrack", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Serve the site on localhost from memory; with --watch, rebuild and reload on every save.
    Serve(ServeArgs),
    /// Start a new site: write site.toml and a first story.
    Init {
        /// Where to create the site.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder (the one with site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Build drafts too.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's (e.g. for a preview deploy).
    #[arg(long)]
    base_url: Option<String>,
    /// Keep the output current: rebuild on every change.
    #[arg(long)]
    watch: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Rebuild on every change and reload open pages.
    #[arg(long)]
    watch: bool,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

impl BuildArgs {
    fn options(&self) -> Options {
        Options {
            root: self.site.root.clone(),
            output: self
                .output
                .clone()
                .unwrap_or_else(|| self.site.root.join("public")),
            base_url: self.base_url.clone(),
            drafts: self.site.drafts,
        }
    }
}

/// Exit code for content or IO problems.
const CONTENT_WRONG: u8 = 1;
/// Exit code for being called wrong (as clap uses for bad arguments).
const CALLED_WRONG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    match cli.command {
        Command::Build(args) if args.watch => {
            finish(backtrack::build_watch::run(&args.options(), color))
        }
        Command::Build(args) => build(&args.options(), color),
        Command::Serve(args) => finish(serve::run(ServeOptions {
            site: Options {
                output: args.site.root.join("public"),
                root: args.site.root,
                base_url: None,
                drafts: args.site.drafts,
            },
            interface: args.interface,
            port: args.port,
            watch: args.watch,
            open: args.open,
            color,
        })),
        Command::Init { dir } => match init::init(&dir) {
            Ok(written) => {
                for path in written {
                    println!("wrote {}", path.display());
                }
                println!("Now run: backtrack build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::from(CALLED_WRONG)
            }
        },
    }
}

/// `serve` and `build --watch` end only on Ctrl-C or when they cannot start.
fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(CALLED_WRONG)
        }
    }
}

fn build(options: &Options, color: bool) -> ExitCode {
    match pipeline::build(options) {
        Ok(summary) => {
            let output = options.output.display().to_string();
            println!(
                "{summary} -> {}/",
                output.strip_prefix("./").unwrap_or(&output)
            );
            ExitCode::SUCCESS
        }
        Err(error) => report(&error, color),
    }
}

/// Prints a failed build's problems and picks its exit code.
fn report(error: &BuildError, color: bool) -> ExitCode {
    match error {
        BuildError::Content(diagnostics) => {
            eprint!("{}", diagnostics.render(color));
            eprintln!("error: {error}; nothing was written");
            ExitCode::from(CONTENT_WRONG)
        }
        BuildError::Usage(_) => {
            eprintln!("error: {error}");
            ExitCode::from(CALLED_WRONG)
        }
        BuildError::Io(_) => {
            eprintln!("error: {error}");
            ExitCode::from(CONTENT_WRONG)
        }
    }
}
