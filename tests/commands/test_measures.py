"""`powershift import indicators FILE.csv`: all rows or none, one-line errors with exit 2."""

from __future__ import annotations

from powershift.cli import main
from powershift.measures.models import Indicator, IndicatorValue

HEADER = "indicator,name,unit,place,date,value\n"


def test_import_indicators(riverside, tmp_path, capsys):
    good = tmp_path / "ae.csv"
    good.write_text(HEADER + "ae-per-1000,A&E attendances per 1000,per 1000,RV-W-MILL,2026-01,31.4\n"
                    "ae-per-1000,A&E attendances per 1000,per 1000,RV-LOC,2026-01,29.9\n")
    assert main(["import", "indicators", str(good), "--source", "NHS Digital"]) == 0
    assert "Imported 2 figures for 1 indicators" in capsys.readouterr().out
    assert Indicator.objects.get().source == "NHS Digital" and IndicatorValue.objects.count() == 2

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "gp-per-1000,GP,,RV-W-MILL,2026-02,400\ngp-per-1000,GP,,RV-ATLANTIS,2026-02,400\n")
    assert main(["import", "indicators", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:3: place: no place has the code 'RV-ATLANTIS'") and err.count("\n") == 1
    assert not Indicator.objects.filter(code="gp-per-1000").exists()

    assert main(["import", "indicators", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
