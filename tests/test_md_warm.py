"""The sampler's numba cache: warm-up and clearing (``make venv`` runs both)."""

from congresslab.transfers._md import kernels, warm


def test_clear_cache_removes_only_the_sampler_files(tmp_path, monkeypatch):
    names = ["kernels.run_seeded-1.py311.nbi", "kernels.run_seeded-1.py311.1.nbc",
             "densities._lcp-45.py311.nbi", "other.f-1.py311.nbi", "kernels.notes.txt"]
    for n in names:
        (tmp_path / n).write_text("x")
    monkeypatch.setattr(kernels.run_seeded._cache, "_cache_path", str(tmp_path))
    assert warm.clear_cache() == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kernels.notes.txt",
                                                          "other.f-1.py311.nbi"]


def test_warm_runs_a_tiny_fit(capsys):
    assert warm.main([]) == 0
    assert "compiled or loaded in" in capsys.readouterr().out
    assert kernels.run_seeded.signatures  # the kernel exists for the fit's argument types
