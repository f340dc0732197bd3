//! Plugin runtime costs: a call round trip, a realistic serializer call, and
//! loading a plugin cold (Cranelift compile) and warm (on-disk cache hit).
//! Run with `cargo xtask bench`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use revenant::plugin::types::*;
use revenant::plugin::{CommandDiscoveryPlugin, Grants, PluginEngine, PluginLimits, SerializerPlugin, World, builtin};

fn discovered() -> DiscoveredCommand {
    DiscoveredCommand {
        argv: vec!["htop".into()],
        original_argv: vec!["htop".into()],
        cwd: None,
        pid: 1,
        pane_id: 1,
        shell: None,
        env: Vec::new(),
    }
}

fn pane(id: u32) -> Pane {
    Pane {
        id,
        name: Some(format!("pane {id}")),
        cwd: Some(format!("/home/user/project/dir{id}")),
        command: Some(vec!["cargo".into(), "watch".into(), "-x".into(), format!("test --bin b{id}")]),
        plugin: None,
        focused: id == 0,
        start_suspended: true,
        contents: None,
        default_fg: None,
        default_bg: None,
        edit: None,
        expanded: false,
        env: Vec::new(),
        save_contents: true,
    }
}

/// Two tabs of ten panes each, split in two columns of five.
fn manifest_20_panes() -> SessionManifest {
    let tab = |t: u32| {
        let mut tiled = vec![TiledNode {
            size: None,
            borderless: false,
            body: TiledBody::Split(Split { direction: SplitDirection::Vertical, children: vec![1, 7], stacked: false }),
        }];
        for column in 0..2u32 {
            let base = tiled.len() as u32;
            tiled.push(TiledNode {
                size: Some(Dimension::Percent(50)),
                borderless: false,
                body: TiledBody::Split(Split {
                    direction: SplitDirection::Horizontal,
                    children: (1..=5).map(|i| base + i).collect(),
                    stacked: false,
                }),
            });
            for i in 0..5 {
                tiled.push(TiledNode {
                    size: Some(Dimension::Percent(20)),
                    borderless: false,
                    body: TiledBody::Pane(pane(t * 10 + column * 5 + i)),
                });
            }
        }
        Tab {
            name: format!("tab {t}"),
            position: t,
            focused: t == 0,
            hide_floating_panes: false,
            tiled,
            floating: vec![],
        }
    };
    SessionManifest {
        name: "bench".into(),
        cwd: Some("/home/user/project".into()),
        tabs: vec![tab(0), tab(1)],
        swap_layouts: Vec::new(),
    }
}

fn benches(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let warm_engine = PluginEngine::new(Some(cache.path())).unwrap();
    let discovery_src = builtin("command-discovery").unwrap();
    let serializer_src = builtin("serializer").unwrap();
    let limits = PluginLimits::for_world(World::CommandDiscovery);

    let mut discovery = CommandDiscoveryPlugin::load(&warm_engine, &discovery_src, limits, Grants::none()).unwrap();
    let cmd = discovered();
    discovery.discover(&cmd).unwrap();
    c.bench_function("call round trip (discover, 1-word argv)", |b| {
        b.iter(|| black_box(discovery.discover(black_box(&cmd)).unwrap()))
    });

    let mut serializer = SerializerPlugin::load(
        &warm_engine,
        &serializer_src,
        PluginLimits::for_world(World::Serializer),
        Grants::none(),
    )
    .unwrap();
    let manifest = manifest_20_panes();
    serializer.serialize(&manifest).unwrap();
    c.bench_function("serialize 20-pane manifest (incl. KDL check)", |b| {
        b.iter(|| black_box(serializer.serialize(black_box(&manifest)).unwrap()))
    });

    let mut group = c.benchmark_group("load + first call");
    group.sample_size(20);
    let cold_engine = PluginEngine::new(None).unwrap();
    group.bench_function("cold (compile)", |b| {
        b.iter(|| {
            let mut p = CommandDiscoveryPlugin::load(&cold_engine, &discovery_src, limits, Grants::none()).unwrap();
            black_box(p.discover(&cmd).unwrap())
        })
    });
    group.bench_function("warm (disk cache)", |b| {
        b.iter(|| {
            let mut p = CommandDiscoveryPlugin::load(&warm_engine, &discovery_src, limits, Grants::none()).unwrap();
            black_box(p.discover(&cmd).unwrap())
        })
    });
    group.finish();
}

criterion_group!(plugin_benches, benches);
criterion_main!(plugin_benches);
