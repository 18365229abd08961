"""The :class:`Draft` of a triad and the functions that draft one or many of a year.

:func:`draft_many` resolves each triad's actors, reads the store once for the year
(:class:`~alliances.studies.drafting.data.World`) and builds each draft by the rule
modules in the order the rules read one another: the actors' means
(:meth:`~alliances.studies.drafting.triad.Triad.start`), the bonds
(:mod:`~alliances.studies.drafting.bonds`), the divider's record
(:func:`~alliances.studies.drafting.triad.read_record`), the target's costs
(:mod:`~alliances.studies.drafting.target`), the partner's bid
(:mod:`~alliances.studies.drafting.partner`), the divider's payoff and instruments
(:mod:`~alliances.studies.drafting.divider`). :meth:`Draft.with_figures` puts an
article's figures in place of what the rules drafted (``alliances ingest --ground``);
:func:`put_figures` does the same to any scenario document (``alliances ingest``
without a store).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

import duckdb
from pydantic import ValidationError

from alliances._values import amount, whole_number
from alliances.errors import DataError, ParameterError
from alliances.scenario.io import dump_yaml
from alliances.scenario.model import Scenario
from alliances.studies.drafting import v2
from alliances.studies.drafting.actors import Actor, check_sides, resolve_actor, scenario_actors
from alliances.studies.drafting.bonds import alliance_bond, flow_bonds, political_bond
from alliances.studies.drafting.data import World, all_partners, read_gdp
from alliances.studies.drafting.divider import divider_instruments, divider_payoff
from alliances.studies.drafting.partner import partner_bid
from alliances.studies.drafting.quantities import tri
from alliances.studies.drafting.target import target_costs
from alliances.studies.drafting.triad import Goal, Triad, read_record
from alliances.typing import SideRef
from alliances.world.connection import connect

__all__ = ["Draft", "Goal", "Rules", "draft", "draft_many", "put_figures"]

Rules = Literal[1, 2]


@dataclass
class Draft:
    """A drafted scenario, the data features of its triad and what the data lacked.

    ``features`` are the inputs of the backtest's logistic baseline (docs/drafting.md,
    "Features"): ``allied_TP``, ``trade_share_TP``, ``log_means_DP``, ``rival_DT``,
    ``affinity_gap`` (None where the data have nothing). ``rules`` is the version of
    the drafting rules it follows (1: docs/drafting.md, 2: docs/drafting-v2.md).
    ``document`` is what the rules wrote, the JSON-ready form ``scenario`` was validated
    from, from which :meth:`with_figures` builds.
    """

    scenario: Scenario
    features: dict[str, float | None]
    warnings: list[str] = field(default_factory=list)
    rules: int = 1
    document: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_yaml(self) -> str:
        """The scenario as YAML, with the warnings as a comment at the top."""
        head = "".join(f"# warning: {w}\n" for w in self.warnings)
        return head + dump_yaml(self.scenario)

    def drafted_bonds(self, *, besides: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The bonds the rules drafted, those of the kinds ``besides`` left out."""
        return _bonds_besides(self.document, besides)

    def with_figures(
        self,
        *,
        bonds: Sequence[Mapping[str, Any]] = (),
        stand_ins: Sequence[Mapping[str, Any]] = (),
        instruments: Sequence[Mapping[str, Any]] = (),
        threats: Sequence[Mapping[str, Any]] = (),
        partner_means: Mapping[str, Any] | None = None,
        frame: Mapping[str, Any] | None = None,
    ) -> Draft:
        """This draft with figures from elsewhere (an article) in place of the rules'.

        ``bonds`` come first and replace the drafted bonds of their kinds (the others
        stay); ``stand_ins`` (bonds of assumed value) come last and replace none;
        ``instruments`` and ``threats``, when given, replace the drafted ones;
        ``partner_means`` replaces the partner's means. ``frame`` replaces the top-level
        fields of the scenario it names (``id``, ``title``, ``actors``, ``context`` …),
        its ``references`` coming before the draft's. The scenario is validated once,
        from :attr:`document` (built by :func:`put_figures`); the features and warnings
        are the draft's.
        """
        document = put_figures(
            self.document,
            bonds=bonds,
            stand_ins=stand_ins,
            instruments=instruments,
            threats=threats,
            partner_means=partner_means,
            frame=frame,
        )
        return replace(self, scenario=Scenario.model_validate(document), document=document)


def put_figures(
    document: Mapping[str, Any],
    *,
    bonds: Sequence[Mapping[str, Any]] = (),
    stand_ins: Sequence[Mapping[str, Any]] = (),
    instruments: Sequence[Mapping[str, Any]] = (),
    threats: Sequence[Mapping[str, Any]] = (),
    partner_means: Mapping[str, Any] | None = None,
    frame: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The scenario ``document`` (JSON-ready, with a ``question``) with figures from
    elsewhere in place of its own, not validated: see :meth:`Draft.with_figures`.

    ``document`` need not be a draft of the rules: ``alliances ingest`` without a store
    puts an article's figures into a document of its own defaults.
    """
    frame = dict(frame or {})
    question = dict(document["question"])
    question["instruments"] = list(instruments) or question["instruments"]
    question["threats"] = list(threats) or question.get("threats", [])
    if partner_means is not None:
        question["partner_bid"] = {**question["partner_bid"], "means": partner_means}
    kinds = {b["kind"] for b in bonds}
    references = {**frame.pop("references", {}), **document.get("references", {})}
    return {
        **document,
        **frame,
        **({"references": references} if references else {}),
        "bonds": [*bonds, *_bonds_besides(document, kinds), *stand_ins],
        "question": question,
    }


def _bonds_besides(document: Mapping[str, Any], kinds: Iterable[str]) -> list[dict[str, Any]]:
    """The bonds of ``document``, those of ``kinds`` left out."""
    left_out = set(kinds)
    return [b for b in document.get("bonds", []) if b["kind"] not in left_out]


def draft(
    divider: SideRef,
    target: SideRef,
    partner: SideRef,
    year: int,
    *,
    goal: Goal = "neutral",
    prevent: bool = False,
    instruments: Sequence[Mapping[str, Any]] | None = None,
    offer: float | None = None,
    store: duckdb.DuckDBPyConnection | str | os.PathLike[str] | None = None,
    scenario_id: str | None = None,
    rules: Rules = 1,
) -> Draft:
    r"""Draft the scenario of ``divider`` pulling ``target`` away from ``partner`` in ``year``.

    Reads the store's data of ``year`` and the four years before (rule A2) and writes a
    complete, validated scenario by the rules of ``docs/drafting.md``, fixed before the
    backtest's catalogue of wedge attempts: the target–partner bonds from trade, arms,
    alliances and affinity (rules B1–B6), the target's other costs (R1, R2, K1), the
    partner's counter-bid (P1–P4), the divider's stake (W1–W3) and its instruments
    (I1–I3). Every number carries a ``derive:`` record (dataset, version, SHA-256, years,
    query, rule) or an ``assumption:`` that starts with its rule's id; a quantity the data
    lack takes the rule's default and is listed in :attr:`Draft.warnings`.

    An actor's means are its military expenditure :math:`M` (COW NMC, USD m; rule A3) and
    a flow is its yearly mean :math:`\bar x` over :math:`[Y-4, Y]`, drawn as the
    triangular :math:`(0.8\bar x, \bar x, 1.2\bar x)` (rule A4). An alliance obligation of
    the target to the partner is a bond worth, a year (rule B5; Snyder 1997 [1]_),

    .. math::

        v_{TP} = a \, \min(M_T, M_P), \qquad a \sim \mathrm{Tri}(a_0/2,\ a_0,\ 2a_0),

    with :math:`a_0` = 0.25 for a defence pact, 0.10 for offence, 0.05 for neutrality,
    non-aggression or consultation; a flow bond's substitutability is centred on
    :math:`1 - \mathrm{HHI}` of the target's partners in that flow (rule H1; Hirschman
    1945 [2]_). The default reward is log-normal with median :math:`0.05\,M_D` and p90
    three times that (rule I1); the chance :math:`q` that it is blocked is centred on

    .. math::

        q_0 = \mathrm{clip}(0.2 + 0.15\,r_{DT} + 0.15\,d_{DT} + 0.1\,w_{DT}
              - 0.1\,a_{DT},\ 0.05,\ 0.8)

    with :math:`r, d, w, a` the divider's rivalry, disputes, war and alliance with the
    target (rule I2; Crawford 2011 [3]_: rivals' promises are less believed). With
    ``rules=2`` the means come from GDP and the stakes from the measured ties instead
    (``docs/drafting-v2.md``).

    Parameters
    ----------
    divider, target, partner : str, int, list or dict
        The three sides (:data:`~alliances.typing.SideRef`): a state named any way
        :func:`alliances.countries.resolve` reads (``"USA"``, ``"Moscow"``, ``630``).
        ``divider`` and ``partner`` may also be a coalition (a list of states, one actor
        with their means summed; rule A1) or an organisation (``{"organisation":
        "NATO"}``, its members that year).
    year : int
        The year of the question; no data after it are read (the backtest drafts each
        case from the year before it began).
    goal : {"neutral", "realign"}, optional
        What the divider wants of the target: to leave the partner (default) or also to
        join the divider (adds the demand cost of rule K1).
    prevent : bool, optional
        Price a prospective alignment: the alliance bond is the defence pact the target
        would gain by joining the partner (rule B5). Default False.
    instruments : list of dict, optional
        The divider's instruments, each ``{"type": "reward" | "coercion",
        "description": str, "value": quantity}`` (rules I1–I3); a reward or threat
        without ``value`` takes the rule's default. Default: one reward package.
    offer : float, optional
        The face value, in USD, of each reward given without a ``value``.
    store : str, path or duckdb connection, optional
        The world data store (``alliances data build``): a connection (used and left
        open), a path (opened read-only and closed again) or None for the default store
        (``ALLIANCES_STORE`` or the user cache).
    scenario_id : str, optional
        The scenario's ``id``; default ``draft-D-T-P-YEAR`` (``…-v2`` under rules 2).
    rules : {1, 2}, optional
        The version of the drafting rules: 1 (``docs/drafting.md``, the default) or 2
        (``docs/drafting-v2.md``: means from GDP, stakes from measured ties).

    Returns
    -------
    Draft
        ``scenario`` (a validated :class:`~alliances.scenario.Scenario`), ``features``
        (the inputs of the backtest's logistic baseline: ``allied_TP``,
        ``trade_share_TP``, ``log_means_DP``, ``rival_DT``, ``affinity_gap``; None where
        the data have nothing), ``warnings`` (what the data lacked), ``rules`` and
        ``document`` (the JSON-ready form the scenario was validated from).

    Raises
    ------
    alliances.errors.ParameterError
        If ``year`` is not a whole year, ``goal`` is not ``"neutral"`` or ``"realign"``,
        ``offer`` is not a finite amount of 0 or more, or an instrument has no ``type``
        ``"reward"`` or ``"coercion"``.
    ValueError
        If ``rules`` is not 1 or 2.
    alliances.errors.DataError
        If there is no store at ``store`` (or at the default place), a side names no
        known state or organisation, one state is on two sides, or a state has no
        military expenditure in the window (rule A2′): the message says which.
    pydantic.ValidationError
        If the data make a number the scenario's checks refuse.

    See Also
    --------
    draft_many : many triads of one year from one read of the store.
    alliances.studies.pricing.wedge : the price of the drafted scenario.

    References
    ----------
    .. [1] Snyder, G. H. (1997). *Alliance Politics*. Cornell University Press.
    .. [2] Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*.
       University of California Press.
    .. [3] Crawford, T. W. (2011). Preventing enemy coalitions: how wedge strategies shape
       power politics. *International Security* 35(4): 155–189.

    Examples
    --------
    A store of military expenditure alone (COW NMC, thousands of USD) drafts a scenario
    of the rules' defaults, each gap listed:

    >>> import duckdb, pandas as pd
    >>> from alliances import draft
    >>> con = duckdb.connect()  # in memory
    >>> _ = con.register("datasets", pd.DataFrame({"name": pd.Series([], dtype=str)}))
    >>> nmc = pd.DataFrame({"ccode": [2, 365, 630], "year": 2016,
    ...                     "milex": [604452000, 46626000, 15882000]})
    >>> _ = con.register("cow_nmc", nmc)
    >>> d = draft("USA", "RUS", "IRN", 2016, store=con)
    >>> d.scenario.id, d.scenario.question.divider
    ('draft-usa-rus-irn-2016', 'USA')
    >>> round(d.features["log_means_DP"], 3)  # log(M_D / M_P)
    3.639
    >>> d.scenario.question.instruments[0].value.median  # rule I1: 0.05 x M_D, USD m
    30222.6
    >>> d.warnings[0]
    "trade: no cow_trade_ndy data for 2016 (it covers 1870-2014); the rule's default is used"
    >>> con.close()

    On the store ``alliances data build`` writes (here from ``../shared/data``):

    >>> d = draft("USA", "RUS", "IRN", 2016)  # doctest: +SKIP
    >>> d.features["allied_TP"], d.features["rival_DT"]  # -> (1.0, 1.0)  # doctest: +SKIP
    >>> print(d.to_yaml())  # every number with its derive: record or rule  # doctest: +SKIP
    """
    check_rules(rules)
    con = store if isinstance(store, duckdb.DuckDBPyConnection) else connect(store)
    try:
        return draft_many(
            [(divider, target, partner)],
            year,
            con=con,
            goal=goal,
            prevent=prevent,
            instruments=[instruments],
            offer=offer,
            scenario_ids=[scenario_id],
            rules=rules,
        )[0]
    finally:
        if con is not store:  # opened here
            con.close()


_INSTRUMENT_TYPES = ("reward", "coercion")


def _check_arguments(
    year: object, goal: object, offer: object, instruments: Sequence[object] | None
) -> tuple[int, float | None]:
    """The drafting arguments checked at the edge, each refusal naming the argument;
    returns the year as an int (2016.0 drafts ``...-2016``) and the offer as a float."""
    whole = whole_number(year)
    if whole is None:
        msg = f"year={year!r}: expected a whole year, such as 2016"
        raise ParameterError(msg)
    if goal not in get_args(Goal):
        msg = f"goal={goal!r}: expected 'neutral' or 'realign'"
        raise ParameterError(msg)
    usd = None if offer is None else amount(offer, "offer")
    for per_triad in instruments or ():
        if per_triad is None:
            continue
        if isinstance(per_triad, str | Mapping) or not isinstance(per_triad, Sequence):
            msg = f"instruments={per_triad!r:.60}: expected a list of {{'type': ...}} mappings"
            raise ParameterError(msg)
        for item in per_triad:
            kind = item.get("type") if isinstance(item, Mapping) else None
            if kind not in _INSTRUMENT_TYPES:
                msg = (
                    f"instruments: {item!r:.60}: expected a mapping with 'type' 'reward' or "
                    "'coercion' (and 'description', 'value')"
                )
                raise ParameterError(msg)
    return whole, usd


def draft_many(
    triads: Sequence[tuple[SideRef, SideRef, SideRef]],
    year: int,
    *,
    con: duckdb.DuckDBPyConnection,
    goal: Goal = "neutral",
    prevent: bool | Sequence[bool] = False,
    instruments: Sequence[Sequence[Mapping[str, Any]] | None] | None = None,
    offer: float | None = None,
    scenario_ids: Sequence[str | None] | None = None,
    errors: Literal["raise", "return"] = "raise",
    rules: Rules = 1,
) -> list[Any]:
    """Draft many (divider, target, partner) triads of one year from one read of the store.

    Each draft is the one :func:`draft` gives for the triad, by the same rules and
    formulas (``docs/drafting.md``; see :func:`draft` for them and their papers). The store
    is read once for the year and the states of every triad, and the bond rules
    (B1–B6), which read only the target and the partner, run once per pair: the triads
    of a pair with other dividers reuse them. This is how the backtest and the sweeps
    draft thousands of triads.

    Parameters
    ----------
    triads : sequence of (divider, target, partner)
        The triads, each side as in :func:`draft` (a state, a coalition or an
        organisation).
    year : int
        The year of every triad (data of ``year`` and the four years before; rule A2).
    con : duckdb.DuckDBPyConnection
        An open connection to the store (:func:`alliances.world.connect`); left open.
    goal : {"neutral", "realign"}, optional
        As in :func:`draft`, for every triad.
    prevent : bool or sequence of bool, optional
        As in :func:`draft`: one for every triad, or one per triad.
    instruments : sequence of (list of dict or None), optional
        One entry per triad, each as ``instruments`` of :func:`draft` (None: the default
        reward package).
    offer : float, optional
        As in :func:`draft` (USD), for every triad.
    scenario_ids : sequence of (str or None), optional
        One scenario ``id`` per triad (None: the default ``draft-D-T-P-YEAR``).
    errors : {"raise", "return"}, optional
        What a triad the data cannot draft does: stop the rest with its error (default),
        or give its :class:`~alliances.errors.DataError` in its place. A
        :class:`~alliances.errors.DataError` is a side that names no state, a state
        without military expenditure in the window, or data that make a number the
        scenario's checks refuse.
    rules : {1, 2}, optional
        The version of the drafting rules for every triad, as in :func:`draft`.

    Returns
    -------
    list of Draft or DataError
        One :class:`Draft` per triad, in order; with ``errors="return"``, the
        :class:`~alliances.errors.DataError` of each triad not drafted in its place.

    Raises
    ------
    alliances.errors.ParameterError
        If ``year``, ``goal``, ``offer`` or ``instruments`` is not of the form above
        (checked before the store is read).
    ValueError
        If ``rules`` is not 1 or 2.
    alliances.errors.DataError
        With ``errors="raise"``, for the first triad the data cannot draft.
    pydantic.ValidationError
        With ``errors="raise"``, if the data make a number the scenario's checks refuse.

    Examples
    --------
    On a store of military expenditure alone (COW NMC, thousands of USD), the triad
    whose divider has none is refused, the others drafted:

    >>> import duckdb, pandas as pd
    >>> from alliances.studies.drafting import draft_many
    >>> con = duckdb.connect()  # in memory
    >>> _ = con.register("datasets", pd.DataFrame({"name": pd.Series([], dtype=str)}))
    >>> nmc = pd.DataFrame({"ccode": [2, 365, 630], "year": 2016,
    ...                     "milex": [604452000, 46626000, 15882000]})
    >>> _ = con.register("cow_nmc", nmc)
    >>> triads = [("USA", "RUS", "IRN"), ("GBR", "RUS", "IRN"), ("IRN", "RUS", "USA")]
    >>> drafts = draft_many(triads, 2016, con=con, errors="return")
    >>> [d.scenario.id for d in drafts if not isinstance(d, Exception)]
    ['draft-usa-rus-irn-2016', 'draft-irn-rus-usa-2016']
    >>> str(drafts[1]).split(":")[0]  # the reason, then the rule
    'no military expenditure (COW NMC) for United Kingdom in 2012-2016'
    >>> con.close()

    On the store ``alliances data build`` writes:

    >>> from alliances.world import connect  # doctest: +SKIP
    >>> con = connect()  # doctest: +SKIP
    >>> triads = [(d, "RUS", "IRN") for d in ("USA", "CHN", "JPN")]  # doctest: +SKIP
    >>> drafts = draft_many(triads, 2010, con=con)  # doctest: +SKIP
    >>> [round(d.features["log_means_DP"], 2) for d in drafts]  # doctest: +SKIP
    >>> # -> [4.22, 1.86, 1.65]: log(M_D / M_P), the US's means far above the others'
    """
    check_rules(rules)
    year, offer = _check_arguments(year, goal, offer, instruments)
    sides: list[tuple[Actor, Actor, Actor] | DataError] = []
    known: dict[tuple[Any, str], Actor] = {}

    def actor(ref: SideRef, label: str) -> Actor:
        if not isinstance(ref, int | str):  # a coalition or an organisation
            return resolve_actor(ref, year, con=con, label=label)
        found = known.get((ref, label))
        if found is None:
            found = known[(ref, label)] = resolve_actor(ref, year, con=con, label=label)
        return found

    for triad in triads:
        try:
            d, t, p = (
                actor(ref, label)
                for ref, label in zip(triad, ("divider", "target", "partner"), strict=True)
            )
            check_sides(d, t, p, year)
            sides.append((d, t, p))
        except DataError as error:
            if errors == "raise":
                raise
            sides.append(error)
    trios = [trio for trio in sides if not isinstance(trio, DataError)]
    codes = {c for trio in trios for actor in trio for c in actor.codes}
    world = World(con, year, codes)
    # Hirschman indices need the target's trade and arms with every partner.
    extra = {c for trio in trios for c in trio[1].codes}
    if extra:
        world.frames.update(all_partners(con, world, extra))
    if rules == 2:
        read_gdp(con, world, codes)
    out: list[Any] = []
    pairs: dict[tuple[Any, ...], _PairPart] = {}
    for k, trio in enumerate(sides):
        try:
            if isinstance(trio, DataError):
                raise trio
            out.append(
                _draft_one(
                    world,
                    *trio,
                    goal=goal,
                    prevent=prevent if isinstance(prevent, bool) else prevent[k],
                    instruments=instruments[k] if instruments else None,
                    offer=offer,
                    scenario_id=scenario_ids[k] if scenario_ids else None,
                    rules=rules,
                    pairs=pairs,
                )
            )
        except DataError as error:
            if errors == "raise":
                raise
            out.append(error)
        except ValidationError as error:
            if errors == "raise":
                raise
            out.append(_invalid(error))
    return out


def _invalid(error: ValidationError) -> DataError:
    """A drafted scenario that fails validation, as the DataError of a triad not drafted."""
    first = error.errors()[0]
    place = ".".join(str(part) for part in first["loc"])
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    msg = (
        f"the drafted scenario does not validate: {place}: {first['msg']}{more}; the data "
        "make a number the rules cannot state"
    )
    return DataError(msg)


@dataclass
class _PairPart:
    """What the bond rules found for a target and a partner: the same for every divider.

    ``checked`` holds the bonds as validated in the pair's first scenario; the pair's
    other scenarios take them as they are (pydantic does not validate a model instance
    again), so a pair's bonds are validated once.
    """

    bonds: tuple[dict[str, Any], ...]
    features: tuple[tuple[str, float | None], ...]
    surplus: tuple[float, float, float]
    kind: str | None
    warnings: tuple[str, ...]
    checked: list[Any] | None = None

    @classmethod
    def of(cls, triad: Triad) -> _PairPart:
        """Run the bond rules on ``triad`` and keep what they found."""
        before = len(triad.warnings)
        flow_bonds(triad)
        alliance_bond(triad)
        political_bond(triad)
        return cls(
            tuple(triad.bonds),
            tuple(triad.features.items()),
            (triad.surplus_t, triad.surplus_p, triad.flows_p),
            triad.kind,
            tuple(triad.warnings[before:]),
        )

    def apply(self, triad: Triad) -> None:
        """Give ``triad`` (of the same pair) what the rules found."""
        triad.bonds = list(self.bonds)
        triad.features.update(self.features)
        triad.surplus_t, triad.surplus_p, triad.flows_p = self.surplus
        triad.kind = self.kind
        triad.warnings.extend(self.warnings)


def check_rules(rules: Any) -> None:
    """Raise ``ValueError`` unless ``rules`` is a version of the drafting rules (1, 2)."""
    if rules not in v2.RULES or isinstance(rules, bool):
        msg = f"rules: expected 1 or 2, got {rules!r}"
        raise ValueError(msg)


def _draft_one(
    world: World,
    d: Actor,
    t: Actor,
    p: Actor,
    *,
    goal: Goal,
    prevent: bool,
    instruments: Sequence[Mapping[str, Any]] | None,
    offer: float | None,
    scenario_id: str | None,
    rules: int = 1,
    pairs: dict[tuple[Any, ...], _PairPart] | None = None,
) -> Draft:
    """The draft of one triad of ``world``'s year, by the rule modules in turn.

    The bond rules (B1–B6) read the target and the partner only, so ``pairs`` keeps what
    they found for each pair and the pair's other triads (its other dividers) reuse it.
    """
    triad = Triad.start(world, d, t, p, goal=goal, prevent=prevent, rules=rules)
    key = (triad.t.codes, triad.p.codes, goal, prevent, rules)
    found = None if pairs is None else pairs.get(key)
    if found is None:
        found = _PairPart.of(triad)
        if pairs is not None:
            pairs[key] = found
    else:
        found.apply(triad)
    read_record(triad)
    costs = target_costs(triad)
    bid = partner_bid(triad)
    payoff = divider_payoff(triad)
    offers, threats = divider_instruments(triad, instruments, offer)

    d, t, p, year = triad.d, triad.t, triad.p, triad.year
    actors = scenario_actors(d, t, p)
    ident = scenario_id or f"draft-{d.id}-{t.id}-{p.id}-{year}".lower().replace("+", "-")
    doc = "docs/drafting.md"
    if rules == 2:
        ident, doc = (ident if scenario_id else f"{ident}-v2"), "docs/drafting-v2.md (rules v2)"
    data = {
        "schema_version": 2,
        "id": ident,
        "title": f"Could {d.name} pull {t.name} away from {p.name}? (drafted, {year})",
        "description": f"Drafted from the world data of {year - 4}-{year} by {doc}.",
        "year": year,
        "actors": actors[0],
        "memberships": actors[1],
        "bonds": triad.bonds,
        "question": {
            "divider": d.id,
            "target": t.id,
            "partner": p.id,
            "goal": goal,
            "horizon": 10,
            "discount_rate": tri(0.03, 0.05, 0.08, "1/yr", assumption="Q1: real discount rate"),
            "target_costs": costs,
            "partner_bid": bid,
            "divider_payoff": payoff,
            "instruments": offers,
            "threats": threats,
        },
    }
    if found.checked is None:
        scenario = Scenario.model_validate(data)
        found.checked = scenario.bonds
    else:  # the pair's bonds as validated in its first scenario: checked once
        scenario = Scenario.model_validate({**data, "bonds": found.checked})
    return Draft(scenario, triad.features, triad.warnings, rules, data)
