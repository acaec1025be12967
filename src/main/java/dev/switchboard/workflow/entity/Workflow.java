package dev.switchboard.workflow.entity;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A named graph of jobs, each running one service, with dependencies between them (validated acyclic). */
@Entity
@Table(name = "sb_workflow")
@NamedQuery(name = Workflow.ALL, query = "SELECT w FROM Workflow w ORDER BY w.id")
@NamedQuery(name = Workflow.BY_NAME, query = "SELECT w FROM Workflow w WHERE w.name = :name")
public class Workflow {

    public static final String ALL = "Workflow.all";
    public static final String BY_NAME = "Workflow.byName";

    @Id
    @SequenceGenerator(name = "sb_workflow_seq", sequenceName = "sb_workflow_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_workflow_seq")
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String description;

    @OneToMany(mappedBy = "workflow", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<WorkflowJob> jobs = new ArrayList<>();

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Version
    private long version;

    protected Workflow() {
        // JPA
    }

    public Workflow(String name, String description) {
        this.name = name;
        this.description = description;
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = createdAt;
    }

    public void rename(String name, String description) {
        this.name = name;
        this.description = description;
        this.updatedAt = OffsetDateTime.now();
    }

    /** Replaces the job graph; the caller validated it. */
    public void replaceJobs(List<WorkflowJob> newJobs) {
        jobs.clear();
        for (WorkflowJob job : newJobs) {
            job.attach(this, jobs.size());
            jobs.add(job);
        }
        this.updatedAt = OffsetDateTime.now();
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public List<WorkflowJob> jobs() {
        return jobs;
    }

    public WorkflowView view(String lastStatus) {
        return new WorkflowView(id, name, description, jobs.stream().map(WorkflowJob::view).toList(), lastStatus,
                createdAt.toInstant(), updatedAt.toInstant());
    }
}
