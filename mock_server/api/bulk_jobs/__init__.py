"""bulk_jobs"""
